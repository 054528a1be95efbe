package org.savesync.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.savesync.server.admin.AdminException;
import org.savesync.server.persistence.HubStorageException;

/**
 * The one place where failures of the gRPC services become a {@link Status}: an {@link
 * AdminException} by its code (INVALID_ARGUMENT, NOT_FOUND, ABORTED, FAILED_PRECONDITION) with its message, a database
 * failure as UNAVAILABLE (nothing was changed; the call may be retried), anything else as
 * INTERNAL (logged, as it is a bug).
 */
@ApplicationScoped
public class AdminStatus implements ExceptionHandlerProvider {
    private static final Logger LOG = Logger.getLogger(AdminStatus.class);

    @Override
    public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
                                                                    ServerCall<ReqT, RespT> call, Metadata metadata) {
        return new ExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable t, ServerCall<ReqT, RespT> c, Metadata m) {
                StatusException e = of(t);
                c.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
            }
        };
    }

    @Override
    public Throwable transform(Throwable t) {
        return of(t);
    }

    /** The status a failure is answered with. */
    static StatusException of(Throwable t) {
        return switch (t) {
            case StatusException s -> s;
            case StatusRuntimeException s -> new StatusException(s.getStatus(), s.getTrailers());
            case AdminException a -> code(a.code()).withDescription(a.getMessage()).asException();
            case HubStorageException h -> {
                LOG.error("admin gRPC call failed in the database", h);
                yield Status.UNAVAILABLE.withDescription(h.getMessage()).asException();
            }
            default -> {
                LOG.error("admin gRPC call failed", t);
                yield Status.INTERNAL.withDescription("internal error: " + t).asException();
            }
        };
    }

    private static Status code(AdminException.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ABORTED -> Status.ABORTED;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
        };
    }
}
