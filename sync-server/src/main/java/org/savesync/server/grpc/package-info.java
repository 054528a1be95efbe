/**
 * The hub's admin gRPC API ({@code savesync.admin.v1}, src/main/proto/savesync/admin/v1/admin.proto)
 * on the HTTP port: retention policies, the audit log and read-only views of groups, members and
 * nodes, over the same service layer as the REST API ({@code org.savesync.server.admin}). The
 * generated classes ({@code grpc.v1}) stay in this package: {@link org.savesync.server.grpc.AdminWire}
 * maps them to and from the domain, {@link org.savesync.server.grpc.AdminStatus} maps every
 * failure to a gRPC status.
 */
package org.savesync.server.grpc;
