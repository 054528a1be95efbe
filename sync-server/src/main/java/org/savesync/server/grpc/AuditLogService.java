package org.savesync.server.grpc;

import jakarta.annotation.security.RolesAllowed;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import org.savesync.server.admin.AuditLog;
import org.savesync.server.admin.AuditQuery;
import org.savesync.server.grpc.v1.AuditLogGrpc;
import org.savesync.server.grpc.v1.ListAuditEventsRequest;
import org.savesync.server.grpc.v1.ListAuditEventsResponse;
import org.savesync.server.auth.Roles;

/** {@code savesync.admin.v1.AuditLog}: reads the {@link AuditLog}, newest first, a page at a time. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@GrpcService
@Blocking
public class AuditLogService extends AuditLogGrpc.AuditLogImplBase {
    private final AuditLog log;

    AuditLogService(AuditLog log) {
        this.log = log;
    }

    @Override
    public void listAuditEvents(ListAuditEventsRequest r, StreamObserver<ListAuditEventsResponse> out) {
        AuditQuery q = AuditQuery.of(r.getGroup(), r.getActor(), r.getAction(),
                r.hasFrom() ? AdminWire.fromWire("from", r.getFrom()) : null,
                r.hasTo() ? AdminWire.fromWire("to", r.getTo()) : null, r.getLimit(), r.getCursor());
        AuditQuery.Page page = log.find(q);
        var b = ListAuditEventsResponse.newBuilder();
        page.events().forEach(e -> b.addEvents(AdminWire.toWire(e)));
        page.nextCursor().ifPresent(b::setNextCursor);
        AdminWire.reply(out, b.build());
    }
}
