package org.savesync.server.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a long-lived gRPC call when its HTTP/2 stream ends, which the gRPC layer on the HTTP
 * port does not (see {@code grpc.EventStream}). A filter marks each request to {@link #PATHS} with
 * a fresh id in the {@value #HEADER} header (replacing whatever a client sent) and reports when
 * its response ends or its stream or connection closes; the call looks the id up ({@code
 * grpc.StreamMark}) and registers what to do then with {@link #onClose}.
 *
 * <p>Only streams open now are remembered (an id is forgotten when its stream ends), so the map
 * is as large as the number of open marked requests, whatever clients send.
 */
@ApplicationScoped
public class StreamClosures {
    /** The request header carrying the id (set here, never trusted from a client). */
    public static final String HEADER = "x-savesync-stream";
    /** The gRPC methods whose requests are marked. */
    static final java.util.Set<String> PATHS = java.util.Set.of("/savesync.admin.v1.GroupAdmin/WatchEvents");
    /** Just after the {@link HttpGuardSetup} guard, before Quarkus' own filters. */
    private static final int PRIORITY = 9_999;
    private static final Runnable OPEN = () -> {
    };

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Runnable> open = new ConcurrentHashMap<>();

    void install(@Observes Filters filters) {
        filters.register(rc -> {
            if (PATHS.contains(rc.request().path()) || PATHS.contains(rc.normalizedPath())) {
                long id = opened();
                rc.request().headers().set(HEADER, Long.toString(id));
                rc.addEndHandler(done -> closed(id));
            } else {
                rc.request().headers().remove(HEADER); // an id is only ever the filter's own
            }
            rc.next();
        }, PRIORITY);
    }

    long opened() {
        long id = ids.incrementAndGet();
        open.put(id, OPEN);
        return id;
    }

    void closed(long id) {
        Runnable r = open.remove(id);
        if (r != null) {
            r.run();
        }
    }

    /** Runs {@code onClose} when stream {@code id} ends, or now when it has ended (or was never marked). */
    public void onClose(long id, Runnable onClose) {
        if (!open.replace(id, OPEN, onClose)) {
            onClose.run();
        }
    }

    /** Marked streams open now (for tests). */
    public int open() {
        return open.size();
    }
}
