/**
 * The hub's administration, one layer under both admin APIs (REST in {@code rest}, gRPC in
 * {@code grpc}): retention policies per group, the audit log every change writes to, the
 * read-only views of groups, members and nodes, and who the caller is ({@link
 * org.savesync.server.admin.Actor}). Refusals are {@link org.savesync.server.admin.AdminException}s,
 * which each API maps in one place.
 */
package org.savesync.server.admin;
