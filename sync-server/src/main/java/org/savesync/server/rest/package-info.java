/**
 * The hub's admin REST API under {@code /api/v1} (JSON, described at {@code /q/openapi}):
 * groups, members, nodes, the files of the replica, the replica check, retention policies and
 * the audit log. Groups, members, nodes, retention and audit are served by the same service
 * layer ({@code org.savesync.server.admin}) as the gRPC API.
 */
package org.savesync.server.rest;
