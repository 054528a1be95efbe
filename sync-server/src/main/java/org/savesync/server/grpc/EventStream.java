package org.savesync.server.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.events.HubEvent;
import org.savesync.server.events.HubEvents;
import org.savesync.server.events.Subscription;
import org.savesync.server.grpc.v1.HubEventKind;
import org.savesync.server.grpc.v1.WatchEventsRequest;

/**
 * {@code GroupAdmin.WatchEvents}: one {@link Subscription} per stream, drained by a virtual
 * thread of its own that sends an event only when the client's HTTP/2 window has room ({@code
 * isReady}), so a slow client fills its bounded subscription queue (and gets a drop marker), never
 * the hub's memory. The stream ends when the client cancels (the subscription is closed at once)
 * or the hub stops (UNAVAILABLE); an idle stream gets a KEEPALIVE every {@link #KEEPALIVE}.
 *
 * <p>Noticing the cancel: on the HTTP port (the Vert.x HTTP/2 server with its grpc-java bridge) a
 * server-streaming call is not told that its client reset the stream or closed the connection
 * (vert.x issue 5562, quarkus issues 46986 and 56268), and writes to it succeed silently. So the
 * HTTP layer tells us instead: {@link org.savesync.server.http.StreamClosures} marks each
 * WatchEvents request and reports when its HTTP/2 stream ends, and the subscription is closed
 * then. The gRPC cancel handler stays for a server that does report it. More than {@link HubEvents#MAX_SUBSCRIPTIONS} streams:
 * RESOURCE_EXHAUSTED.
 */
@ApplicationScoped
class EventStream {
    private static final Logger LOG = Logger.getLogger(EventStream.class);
    /** How long the drainer waits for an event or for room before it looks whether the stream ended. */
    static final Duration POLL = Duration.ofMillis(250);
    /** A stream with nothing to send gets a KEEPALIVE this often, so a client can tell a quiet hub from a dead one. */
    static final Duration KEEPALIVE = Duration.ofSeconds(15);
    private static final AtomicLong STREAMS = new AtomicLong();

    private final HubEvents events;
    private final org.savesync.server.http.StreamClosures closures;

    EventStream(HubEvents events, org.savesync.server.http.StreamClosures closures) {
        this.events = events;
        this.closures = closures;
    }

    void watch(WatchEventsRequest r, StreamObserver<org.savesync.server.grpc.v1.HubEvent> out) {
        var group = AdminInput.optionalGroup("groupId", r.getGroupId()).orElse(null);
        Subscription sub;
        try {
            sub = events.subscribe(group);
        } catch (HubEvents.TooManySubscriptions e) {
            out.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        ServerCallStreamObserver<org.savesync.server.grpc.v1.HubEvent> call =
                out instanceof ServerCallStreamObserver<org.savesync.server.grpc.v1.HubEvent> s ? s : null;
        Object room = new Object();
        // Whichever notices first: the HTTP stream's end, the call's cancel handler, its context's cancel.
        Long stream = StreamMark.ID.get();
        if (stream != null) {
            closures.onClose(stream, sub::close);
        }
        io.grpc.Context.current().addListener(c -> sub.close(), Runnable::run);
        if (call != null) {
            call.setOnCancelHandler(sub::close);
            call.setOnReadyHandler(() -> {
                synchronized (room) {
                    room.notifyAll();
                }
            });
        }
        Thread.ofVirtual().name("savesync-events-" + STREAMS.incrementAndGet()).start(() -> drain(sub, call, out, room));
    }

    private static void drain(Subscription sub, ServerCallStreamObserver<org.savesync.server.grpc.v1.HubEvent> call,
                              StreamObserver<org.savesync.server.grpc.v1.HubEvent> out, Object room) {
        try {
            long lastSent = System.nanoTime();
            while (!sub.closed() && (call == null || !call.isCancelled())) {
                Optional<HubEvent> next = sub.next(POLL);
                if (next.isEmpty()) {
                    if (System.nanoTime() - lastSent < KEEPALIVE.toNanos()) {
                        continue;
                    }
                    next = Optional.of(new HubEvent(HubEvent.Kind.KEEPALIVE, java.time.Instant.now(), null, null, null,
                            null, null, 0));
                }
                while (call != null && !call.isReady() && !call.isCancelled() && !sub.closed()) {
                    synchronized (room) {
                        room.wait(POLL.toMillis());
                    }
                }
                if (sub.closed() || call != null && call.isCancelled()) {
                    break;
                }
                out.onNext(toWire(next.get()));
                lastSent = System.nanoTime();
            }
            if (sub.endedByHub()) {
                out.onError(Status.UNAVAILABLE.withDescription("the hub is stopping; follow the events again once it"
                        + " is back").asRuntimeException());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The client went away between the checks and onNext: nothing to tell anyone.
            LOG.debugf("event stream ended: %s", e.toString());
        } finally {
            sub.close();
        }
    }

    static org.savesync.server.grpc.v1.HubEvent toWire(HubEvent e) {
        var b = org.savesync.server.grpc.v1.HubEvent.newBuilder().setKind(kind(e.kind())).setAt(AdminWire.toWire(e.at()))
                .setCount(e.count());
        if (e.group() != null) {
            b.setGroupId(e.group().toString());
        }
        if (e.node() != null) {
            b.setNodeId(e.node().toString());
        }
        if (e.name() != null) {
            b.setName(e.name());
        }
        if (e.path() != null) {
            b.setPath(e.path());
        }
        if (e.other() != null) {
            b.setOtherNodeId(e.other().toString());
        }
        return b.build();
    }

    private static HubEventKind kind(HubEvent.Kind k) {
        return switch (k) {
            case SUBSCRIBED -> HubEventKind.HUB_EVENT_KIND_SUBSCRIBED;
            case MEMBER_JOINED -> HubEventKind.HUB_EVENT_KIND_MEMBER_JOINED;
            case MEMBER_LEFT -> HubEventKind.HUB_EVENT_KIND_MEMBER_LEFT;
            case MEMBER_REMOVED -> HubEventKind.HUB_EVENT_KIND_MEMBER_REMOVED;
            case GROUP_REGISTERED -> HubEventKind.HUB_EVENT_KIND_GROUP_REGISTERED;
            case NODE_ENROLLED -> HubEventKind.HUB_EVENT_KIND_NODE_ENROLLED;
            case CONFLICT -> HubEventKind.HUB_EVENT_KIND_CONFLICT;
            case TRANSFER_FINISHED -> HubEventKind.HUB_EVENT_KIND_TRANSFER_FINISHED;
            case EVENTS_DROPPED -> HubEventKind.HUB_EVENT_KIND_EVENTS_DROPPED;
            case KEEPALIVE -> HubEventKind.HUB_EVENT_KIND_KEEPALIVE;
        };
    }
}
