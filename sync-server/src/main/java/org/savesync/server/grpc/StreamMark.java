package org.savesync.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.savesync.server.http.StreamClosures;

/** Puts the stream id {@link StreamClosures} set in the request headers into the call's {@link Context} ({@link #ID}). */
@ApplicationScoped
class StreamMark implements ServerInterceptor {
    static final Context.Key<Long> ID = Context.key("savesync-stream");
    private static final Metadata.Key<String> HEADER = Metadata.Key.of(StreamClosures.HEADER,
            Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        String v = headers.get(HEADER);
        Long id = null;
        if (v != null) {
            try {
                id = Long.valueOf(v);
            } catch (NumberFormatException e) {
                id = null; // not ours: the filter replaces every client's value on the marked paths
            }
        }
        return id == null ? next.startCall(call, headers)
                : Contexts.interceptCall(Context.current().withValue(ID, id), call, headers, next);
    }
}
