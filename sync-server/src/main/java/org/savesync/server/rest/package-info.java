/**
 * The hub's admin REST API under {@code /api/v1} (read-only, JSON, described at
 * {@code /q/openapi}): groups, members, nodes, the files of the replica and the replica check.
 */
package org.savesync.server.rest;
