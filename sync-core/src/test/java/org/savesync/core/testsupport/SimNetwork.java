package org.savesync.core.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.savesync.core.protocol.Link;
import org.savesync.core.engine.Network;
import org.savesync.core.engine.NetworkEvents;
import org.savesync.core.identity.NodeId;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.ProtocolException;
import org.savesync.core.protocol.WireCodec;

/**
 * An in-memory network for engine tests. Messages go through the real {@link WireCodec}
 * (encoded and decoded), and with {@link Faults} set they are dropped, duplicated, delayed
 * and reordered; {@link #cutLinks} closes links (the endpoints redial on their own).
 * A Hello is never dropped: on a real QUIC stream it is the first, reliable frame.
 */
public final class SimNetwork implements AutoCloseable {

    /** Probabilities per message, and the largest extra delay. */
    public record Faults(double drop, double duplicate, double delay, int maxDelayMillis) {
        public static final Faults NONE = new Faults(0, 0, 0, 0);
    }

    /** Which messages the network loses on purpose: a partition, or one kind of message kept from a node. */
    @FunctionalInterface
    public interface Blocker {
        Blocker NONE = (from, to, m) -> false;

        boolean blocks(NodeId from, NodeId to, Message m);
    }

    /**
     * How long a message waits on one link, in order: a link never lets a later message overtake
     * an earlier one (as on a QUIC stream), but two links between the same nodes may differ. The
     * k-th lagged message of a link is delivered at the k-th earliest of their due times, so with
     * one lag per link each message waits exactly that long; with lags that vary, one waiting
     * behind a slower one before it is held up, and one before a quicker one may go early.
     */
    @FunctionalInterface
    public interface Lag {
        Lag NONE = (from, to, dialledByFrom, m) -> 0;

        /** Milliseconds {@code m} from {@code from} to {@code to} takes on the link {@code from} dialled (or not). */
        long millis(NodeId from, NodeId to, boolean dialledByFrom, Message m);
    }

    private final Random random;
    private volatile Blocker blocker = Blocker.NONE;
    private volatile Lag lag = Lag.NONE;
    private final ScheduledExecutorService timer;
    private final Map<NodeId, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final List<SimLink> links = new CopyOnWriteArrayList<>();
    private volatile Faults faults = Faults.NONE;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public SimNetwork(long seed) {
        this.random = new Random(seed);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-network");
            t.setDaemon(true);
            return t;
        });
    }

    /** A made-up "host:port" that names a sim endpoint (tickets insist on that shape). */
    static String address(NodeId id) {
        return "n" + id.shortId(16) + ".sim:7000";
    }

    public Network endpoint(NodeId node) {
        return endpoints.computeIfAbsent(node, Endpoint::new);
    }

    public void setFaults(Faults f) {
        faults = f;
    }

    /**
     * From now on every message waits as {@code l} says, in order per link ({@link Faults} do
     * not apply to these); {@link Lag#NONE} lifts it.
     */
    public void setLag(Lag l) {
        lag = l;
    }

    /**
     * From now on messages {@code b} answers true for are dropped at delivery (Hellos never
     * are, as with {@link Faults}); {@link Blocker#NONE} lifts it. Scripted tests use it to
     * hold one interleaving still: a partition, or chunks kept from one node.
     */
    public void block(Blocker b) {
        blocker = b;
    }

    /** Closes every open link; keepers redial. */
    public void cutLinks() {
        for (SimLink l : links) {
            l.closeBoth("cut by the test");
        }
    }

    /** Closes one random open link. */
    public void cutRandomLink() {
        List<SimLink> open = links.stream().filter(l -> l.open).toList();
        if (!open.isEmpty()) {
            open.get(nextInt(open.size())).closeBoth("cut by the test");
        }
    }

    public long delivered() {
        return delivered.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private synchronized double nextDouble() {
        return random.nextDouble();
    }

    private synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    @Override
    public void close() {
        cutLinks();
        timer.shutdownNow();
    }

    private final class Endpoint implements Network {
        final NodeId id;
        volatile NetworkEvents events;
        volatile boolean closed;

        Endpoint(NodeId id) {
            this.id = id;
        }

        @Override
        public void start(NetworkEvents e) {
            events = e;
            closed = false;
        }

        @Override
        public List<String> listenAddresses() {
            return List.of(address(id));
        }

        @Override
        public AutoCloseable keepConnected(NodeId peer, List<String> addresses) {
            Keeper k = new Keeper(this, peer);
            k.schedule(0);
            return k;
        }

        @Override
        public CompletableFuture<Message> ask(String address, NodeId authority, Message req) {
            Endpoint target = endpoints.get(authority);
            if (target == null || target.events == null || target.closed || !address.equals(address(authority))) {
                return CompletableFuture.failedFuture(new java.io.IOException("no node at " + address));
            }
            try {
                Message copy = WireCodec.decodeJoin(WireCodec.encodeJoin(req));
                return target.events.authorityRequest(id, java.net.InetAddress.getLoopbackAddress(), copy).thenApply(resp -> {
                    try {
                        return WireCodec.decodeJoin(WireCodec.encodeJoin(resp));
                    } catch (ProtocolException ex) {
                        throw new IllegalStateException(ex);
                    }
                });
            } catch (ProtocolException ex) {
                return CompletableFuture.failedFuture(ex);
            }
        }

        @Override
        public void close() {
            closed = true;
            for (SimLink l : links) {
                if (l.from == this || l.to == this) {
                    l.closeBoth("endpoint closed");
                }
            }
            endpoints.remove(id, this);
        }
    }

    /** Keeps one link from {@code self} to {@code peer}, redialing every 20 ms while there is none. */
    private final class Keeper implements AutoCloseable {
        final Endpoint self;
        final NodeId peer;
        volatile boolean stopped;
        volatile SimLink current;

        Keeper(Endpoint self, NodeId peer) {
            this.self = self;
            this.peer = peer;
        }

        void schedule(long delayMs) {
            if (!stopped && !timer.isShutdown()) {
                try {
                    timer.schedule(this::check, delayMs, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException ignored) {
                    // network closed
                }
            }
        }

        void check() {
            if (stopped || self.closed) {
                return;
            }
            SimLink c = current;
            if (c == null || !c.open) {
                Endpoint other = endpoints.get(peer);
                if (other != null && other.events != null && !other.closed && other.events.isMember(self.id)) {
                    SimLink out = new SimLink(self, other, false);
                    SimLink in = new SimLink(other, self, true);
                    out.peer = in;
                    in.peer = out;
                    links.add(out);
                    links.add(in);
                    current = out;
                    self.events.linkUp(out);
                    other.events.linkUp(in);
                }
            }
            schedule(20);
        }

        @Override
        public void close() {
            stopped = true;
            SimLink c = current;
            if (c != null) {
                c.closeBoth("keeper closed");
            }
        }
    }

    private final class SimLink implements Link {
        final Endpoint from;
        final Endpoint to;
        final boolean inbound;
        volatile SimLink peer;
        volatile boolean open = true;
        /** Messages sent with a {@link Lag}, in the order sent. */
        private final java.util.ArrayDeque<Message> lagged = new java.util.ArrayDeque<>();

        SimLink(Endpoint from, Endpoint to, boolean inbound) {
            this.from = from;
            this.to = to;
            this.inbound = inbound;
        }

        @Override
        public NodeId remote() {
            return to.id;
        }

        @Override
        public boolean inbound() {
            return inbound;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void send(Message m) {
            if (!open) {
                return;
            }
            Message copy;
            try {
                copy = WireCodec.decode(WireCodec.encode(m));
            } catch (ProtocolException e) {
                throw new IllegalStateException("codec round trip failed for " + m, e);
            }
            Faults f = m instanceof Message.Hello ? Faults.NONE : faults;
            if (f.drop() > 0 && nextDouble() < f.drop()) {
                dropped.incrementAndGet();
                return;
            }
            if (sendLagged(copy)) {
                return;
            }
            int copies = f.duplicate() > 0 && nextDouble() < f.duplicate() ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                long delay = f.delay() > 0 && nextDouble() < f.delay() ? nextInt(f.maxDelayMillis() + 1) : 0;
                try {
                    timer.schedule(() -> deliver(copy), delay, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException ignored) {
                    return;
                }
            }
        }

        /**
         * Sends {@code m} after its {@link Lag}, behind every lagged message before it on this
         * link (a queue, so timer order cannot reorder them); false when no lag applies.
         */
        private boolean sendLagged(Message m) {
            long ms = m instanceof Message.Hello ? 0 : lag.millis(from.id, to.id, !inbound, m);
            synchronized (lagged) {
                if (ms <= 0 && lagged.isEmpty()) {
                    return false;
                }
                lagged.addLast(m);
            }
            try {
                timer.schedule(() -> {
                    Message next;
                    synchronized (lagged) {
                        next = lagged.pollFirst();
                    }
                    if (next != null) {
                        deliver(next);
                    }
                }, Math.max(ms, 0), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // network closed
            }
            return true;
        }

        private void deliver(Message m) {
            SimLink p = peer;
            if (open && p != null && p.open && to.events != null) {
                if (!(m instanceof Message.Hello) && blocker.blocks(from.id, to.id, m)) {
                    dropped.incrementAndGet();
                    return;
                }
                delivered.incrementAndGet();
                to.events.message(p, m);
            }
        }

        @Override
        public CompletableFuture<Void> sendBulk(Message m) {
            send(m);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(String reason) {
            closeBoth(reason);
        }

        void closeBoth(String reason) {
            closeOne();
            SimLink p = peer;
            if (p != null) {
                p.closeOne();
            }
        }

        private void closeOne() {
            if (open) {
                open = false;
                links.remove(this);
                if (from.events != null) {
                    from.events.linkDown(this, null);
                }
            }
        }

        @Override
        public String toString() {
            return "sim " + from.id.shortId(6) + "->" + to.id.shortId(6);
        }
    }

    /**
     * Delivers {@code m} to {@code to} as if {@code from} had sent it on their open link,
     * bypassing {@code from}'s engine: how tests play a misbehaving member.
     */
    public void inject(NodeId from, NodeId to, Message m) {
        for (SimLink l : links) {
            if (l.open && l.from.id.equals(from) && l.to.id.equals(to)) {
                l.send(m);
                return;
            }
        }
        throw new IllegalStateException("no open link from " + from + " to " + to);
    }

    /** For diagnostics: the open links. */
    public List<String> openLinks() {
        List<String> out = new ArrayList<>();
        for (SimLink l : links) {
            if (l.open) {
                out.add(l.toString());
            }
        }
        return out;
    }
}
