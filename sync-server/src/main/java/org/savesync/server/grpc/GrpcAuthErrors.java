package org.savesync.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import io.quarkus.grpc.auth.AuthExceptionHandler;
import io.quarkus.grpc.auth.AuthExceptionHandlerProvider;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.ApplicationScoped;
import org.savesync.server.auth.AuthReplies;

/**
 * Refusals of the gRPC services' role rules, as gRPC statuses with the words of the REST API
 * ({@link AuthReplies}): no credential, or one that does not verify, is {@code UNAUTHENTICATED};
 * a good credential without the role is {@code PERMISSION_DENIED}. (Quarkus' own mapping
 * answers a call without a credential with {@code PERMISSION_DENIED}.) A credential that
 * fails before the call reaches gRPC is answered by HTTP 401, which gRPC clients read as
 * {@code UNAUTHENTICATED} too.
 */
@ApplicationScoped
public class GrpcAuthErrors implements AuthExceptionHandlerProvider {
    private final AuthReplies words;

    GrpcAuthErrors(AuthReplies words) {
        this.words = words;
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1;
    }

    @Override
    public <ReqT, RespT> AuthExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
            ServerCall<ReqT, RespT> call, Metadata metadata) {
        return new AuthExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable e, ServerCall<ReqT, RespT> c, Metadata m) {
                if (handlesException(e)) {
                    c.close(status(e, m), new Metadata());
                } else {
                    super.handleException(e, c, m); // the service's own failures: AdminStatus
                }
            }
        };
    }

    @Override
    public StatusException transformToStatusException(Throwable e) {
        return status(e, null).asException();
    }

    @Override
    public boolean handlesException(Throwable e) {
        return e instanceof AuthenticationException || e instanceof SecurityException;
    }

    private Status status(Throwable e, Metadata m) {
        if (e instanceof AuthenticationException || e instanceof UnauthorizedException) {
            boolean sent = m != null && m.containsKey(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
            return Status.UNAUTHENTICATED.withDescription(words.unauthorized(sent));
        }
        return Status.PERMISSION_DENIED.withDescription(words.forbidden(null));
    }
}
