package org.savesync.core.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;

/**
 * Keeps one connection to a peer up. Dials the candidate addresses in order; when every one
 * fails, or when the connection closes, it waits a {@link Backoff} delay (250 ms doubling to 30 s,
 * full jitter, reset after each success) and tries again, until {@link #close()}. Each new
 * connection goes to the {@link Listener}. Timers run on the endpoint's event loop, so a redialer
 * also stops when its endpoint closes.
 */
public final class Redialer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Redialer.class);

    /** Hears about the redialer's connections; called on an event-loop thread, must not block. */
    public interface Listener {
        /** A new connection to the peer is up (set its receiver here). */
        void onConnected(PeerConnection connection);

        /** Every candidate failed (or the connection closed); the next attempt is in {@code retryIn}. */
        default void onRetry(Throwable lastFailureOrNull, Duration retryIn) {
        }
    }

    private final QuicEndpoint endpoint;
    private final NodeId peer;
    private final List<InetSocketAddress> candidates;
    private final String alpn;
    private final Listener listener;
    private final Backoff backoff;
    private PeerConnection current;
    private ScheduledFuture<?> retry;
    private boolean closed;

    private Redialer(QuicEndpoint endpoint, NodeId peer, List<InetSocketAddress> candidates, String alpn,
                     Listener listener, Backoff backoff) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.candidates = List.copyOf(candidates);
        this.alpn = Objects.requireNonNull(alpn, "alpn");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.backoff = backoff;
        if (this.candidates.isEmpty()) {
            throw new IllegalArgumentException("a redialer needs at least one candidate address for " + peer);
        }
    }

    /** Starts dialling {@code peer} at once. */
    public static Redialer start(QuicEndpoint endpoint, NodeId peer, List<InetSocketAddress> candidates, String alpn,
                                 Listener listener) {
        return start(endpoint, peer, candidates, alpn, listener, new Backoff(new Random()));
    }

    static Redialer start(QuicEndpoint endpoint, NodeId peer, List<InetSocketAddress> candidates, String alpn,
                          Listener listener, Backoff backoff) {
        Redialer r = new Redialer(endpoint, peer, candidates, alpn, listener, backoff);
        r.attempt(0, null);
        return r;
    }

    /** The connection, while one is open. */
    public synchronized Optional<PeerConnection> current() {
        return Optional.ofNullable(current).filter(PeerConnection::isOpen);
    }

    private void attempt(int index, Throwable lastFailure) {
        synchronized (this) {
            if (closed) {
                return;
            }
            retry = null;
        }
        if (index >= candidates.size()) {
            scheduleRetry(lastFailure);
            return;
        }
        InetSocketAddress address = candidates.get(index);
        endpoint.dial(address, peer, alpn).whenComplete((c, e) -> {
            if (e != null) {
                LOG.debugf("dialling %s at %s failed: %s", peer, address, Failure.describe(e));
                attempt(index + 1, e);
            } else {
                connected(c);
            }
        });
    }

    private void connected(PeerConnection c) {
        synchronized (this) {
            if (closed) {
                c.close("redialer closed");
                return;
            }
            current = c;
            backoff.reset();
        }
        c.closeFuture().whenComplete((v, e) -> {
            synchronized (this) {
                if (current == c) {
                    current = null;
                }
            }
            scheduleRetry(null);
        });
        try {
            listener.onConnected(c);
        } catch (RuntimeException e) {
            LOG.errorf(e, "the redialer listener for %s threw", peer);
        }
    }

    private void scheduleRetry(Throwable lastFailure) {
        Duration delay;
        synchronized (this) {
            if (closed) {
                return;
            }
            delay = backoff.next();
            try {
                retry = endpoint.scheduler().schedule(() -> attempt(0, null), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debugf("the endpoint of the redialer for %s is closed; stopping", peer);
                closed = true;
                return;
            }
        }
        try {
            listener.onRetry(lastFailure, delay);
        } catch (RuntimeException e) {
            LOG.errorf(e, "the redialer listener for %s threw", peer);
        }
    }

    /** Stops redialling and closes the current connection, if any. */
    @Override
    public void close() {
        PeerConnection c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (retry != null) {
                retry.cancel(false);
            }
            c = current;
            current = null;
        }
        if (c != null) {
            c.close("redialer closed");
        }
    }
}
