/**
 * {@code savesync-server admin ...}: the admin command line, a gRPC client of the hub's admin
 * API with a bearer token, for operators who script. It runs without starting the hub.
 */
package org.savesync.server.cli.admin;
