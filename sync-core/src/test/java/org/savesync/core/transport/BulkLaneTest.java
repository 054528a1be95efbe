package org.savesync.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;

/** The TLS over TCP bulk lane between real endpoints on 127.0.0.1: transfer, fallback, lifecycle. */
class BulkLaneTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);
    static final TransportConfig CFG = TransportConfig.defaults().withEventLoopThreads(2)
            .withHandshakeTimeout(Duration.ofSeconds(3));
    static final int MIB = 1024 * 1024;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A listening endpoint whose inbound connections get a checking receiver. */
    final class Node {
        final NodeKey key = NodeKey.generate();
        final List<PeerConnection> inbound = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Checker checker = new Checker();
        final QuicEndpoint endpoint;

        Node(TransportConfig cfg) {
            endpoint = QuicEndpoint.start(key, LOCAL, cfg, id -> true, c -> {
                inbound.add(c);
                c.setReceiver(checker);
            });
            toClose.add(endpoint);
        }

        PeerConnection dial(Node other) throws Exception {
            PeerConnection c = endpoint.dial(other.endpoint.localAddress(), other.key.nodeId(), Alpn.MEMBER)
                    .get(5, TimeUnit.SECONDS);
            c.setReceiver(checker);
            await().atMost(5, TimeUnit.SECONDS).until(() -> other.inbound.size() == 1);
            return c;
        }
    }

    /** Checks every frame against {@link #chunk}, and that it came on the connection's own event loop. */
    static final class Checker implements FrameReceiver {
        final ConcurrentHashMap<Integer, Boolean> intact = new ConcurrentHashMap<>();
        final AtomicInteger bad = new AtomicInteger();
        final AtomicInteger offLoop = new AtomicInteger();
        final List<PeerConnection> from = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onFrame(PeerConnection c, byte[] frame) {
            if (!((QuicPeerConnection) c).eventLoop().inEventLoop()) {
                offLoop.incrementAndGet();
            }
            if (!from.contains(c)) {
                from.add(c);
            }
            if (frame.length < 1024) {
                texts.add(new String(frame, StandardCharsets.UTF_8));
                return;
            }
            int index = ByteBuffer.wrap(frame).getInt();
            if (index >= 0 && Arrays.equals(frame, chunk(index, frame.length))) {
                intact.put(index, Boolean.TRUE);
            } else {
                bad.incrementAndGet();
            }
        }

        @Override
        public void onClosed(PeerConnection connection, Throwable causeOrNull) {
        }
    }

    static byte[] chunk(int index, int size) {
        byte[] b = new byte[size];
        new Random(index).nextBytes(b);
        ByteBuffer.wrap(b).putInt(index);
        return b;
    }

    /** Sends {@code frames} bulk frames of 1 MiB numbered from {@code first}, at most 8 in flight. */
    static double sendBulk(PeerConnection c, int first, int frames) throws Exception {
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = first; i < first + frames; i++) {
            inFlight.acquire();
            sent.add(c.sendBulk(chunk(i, MIB)).whenComplete((v, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        return (System.nanoTime() - start) / 1e9;
    }

    private static void awaitLane(Node a, Node b) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> a.endpoint.stats().lanesBound() == 1
                && b.endpoint.stats().lanesBound() == 1);
    }

    @Test
    void bulkFramesGoOverTheLaneBothWaysAndArriveIntactOnTheConnectionsLoop() throws Exception {
        Node a = new Node(CFG);
        Node b = new Node(CFG);
        assertThat(b.endpoint.laneAddress()).isEqualTo(b.endpoint.localAddress());
        PeerConnection ab = a.dial(b);
        awaitLane(a, b);
        PeerConnection ba = b.inbound.get(0);

        double s = sendBulk(ab, 0, 64);
        System.out.printf("lane: 64 MiB in %.2f s = %.0f MB/s%n", s, 64 * (double) MIB / 1e6 / s);
        sendBulk(ba, 1000, 16);
        ab.send("control".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);

        await().atMost(30, TimeUnit.SECONDS).until(() -> b.checker.intact.size() + b.checker.bad.get() >= 64
                && a.checker.intact.size() + a.checker.bad.get() >= 16 && b.checker.texts.size() == 1);
        assertThat(b.checker.bad.get() + a.checker.bad.get()).isZero();
        assertThat(b.checker.intact).hasSize(64);
        assertThat(a.checker.intact).hasSize(16);
        assertThat(b.checker.texts).containsExactly("control");
        assertThat(b.checker.offLoop.get() + a.checker.offLoop.get()).as("frames delivered off the connection's loop").isZero();
        assertThat(b.checker.from).containsExactly(ba);
        assertThat(a.checker.from).containsExactly(ab);

        assertThat(a.endpoint.stats().bulkBytesSentTcp()).isEqualTo(64L * MIB);
        assertThat(a.endpoint.stats().bulkBytesSentQuic()).isZero();
        assertThat(b.endpoint.stats().bulkBytesReceivedTcp()).isEqualTo(64L * MIB);
        assertThat(b.endpoint.stats().bulkBytesReceivedQuic()).isZero();
        assertThat(b.endpoint.stats().bulkBytesSentTcp()).isEqualTo(16L * MIB);
        assertThat(a.endpoint.stats().bulkBytesReceivedTcp()).isEqualTo(16L * MIB);
    }

    @Test
    void withTheLaneOffOnTheListenerBulkFramesGoOnQuic() throws Exception {
        Node a = new Node(CFG);
        Node b = new Node(CFG.withBulkLane(false));
        assertThat(b.endpoint.laneAddress()).isNull();
        PeerConnection ab = a.dial(b);
        await().atMost(10, TimeUnit.SECONDS).until(() -> a.endpoint.stats().laneDialsFailed() == 1);

        double s = sendBulk(ab, 0, 64);
        System.out.printf("quic: 64 MiB in %.2f s = %.0f MB/s%n", s, 64 * (double) MIB / 1e6 / s);
        await().atMost(30, TimeUnit.SECONDS).until(() -> b.checker.intact.size() + b.checker.bad.get() == 64);
        assertThat(b.checker.bad.get()).isZero();
        assertThat(a.endpoint.stats().bulkBytesSentQuic()).isEqualTo(64L * MIB);
        assertThat(a.endpoint.stats().bulkBytesSentTcp()).isZero();
        assertThat(b.endpoint.stats().bulkBytesReceivedQuic()).isEqualTo(64L * MIB);
        assertThat(a.endpoint.stats().lanesBound()).isZero();
    }

    @Test
    void aLaneThatDiesFallsBackToQuicAndClosingQuicClosesTheLane() throws Exception {
        Node a = new Node(CFG);
        Node b = new Node(CFG);
        PeerConnection ab = a.dial(b);
        awaitLane(a, b);
        QuicPeerConnection qa = (QuicPeerConnection) ab;
        BulkLane lane = qa.laneForTests();
        lane.close();
        await().atMost(5, TimeUnit.SECONDS).until(() -> qa.laneForTests() == null
                && ((QuicPeerConnection) b.inbound.get(0)).laneForTests() == null);
        assertThat(ab.isOpen()).isTrue();
        sendBulk(ab, 0, 4);
        await().atMost(10, TimeUnit.SECONDS).until(() -> b.checker.intact.size() == 4);
        assertThat(a.endpoint.stats().bulkBytesSentQuic()).isEqualTo(4L * MIB);
        assertThat(a.endpoint.stats().bulkBytesSentTcp()).isZero();

        // A second connection gets its own lane; closing that QUIC connection closes it on both sides.
        Node c = new Node(CFG);
        PeerConnection ac = a.dial(c);
        await().atMost(10, TimeUnit.SECONDS).until(() -> c.endpoint.stats().lanesBound() == 1);
        BulkLane dialled = ((QuicPeerConnection) ac).laneForTests();
        BulkLane accepted = ((QuicPeerConnection) c.inbound.get(0)).laneForTests();
        assertThat(dialled).isNotNull();
        assertThat(accepted).isNotNull();
        ac.close("done");
        await().atMost(5, TimeUnit.SECONDS).until(() -> !dialled.isActive() && !accepted.isActive());
    }

    @Test
    void aReceiverThatIsNotSetHoldsTheLaneBackInsteadOfBufferingWithoutBound() throws Exception {
        Node a = new Node(CFG);
        Node b = new Node(CFG);
        PeerConnection ab = a.endpoint.dial(b.endpoint.localAddress(), b.key.nodeId(), Alpn.MEMBER)
                .get(5, TimeUnit.SECONDS);
        awaitLane(a, b);
        // A's connection has no receiver: what B sends waits in A's inbox, which holds the lane at 16 MiB.
        PeerConnection ba = b.inbound.get(0);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            sent.add(ba.sendBulk(chunk(i, MIB)));
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> a.endpoint.stats().bulkBytesReceivedTcp() >= 16L * MIB);
        // Wait until nothing more comes in: held back, or (without the bound) everything arrived.
        long[] last = {-1};
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(1500)).until(() -> {
            long now = a.endpoint.stats().bulkBytesReceivedTcp();
            boolean still = now == last[0];
            last[0] = now;
            return still;
        });
        long held = a.endpoint.stats().bulkBytesReceivedTcp();
        assertThat(held).as("taken from the lane while nobody reads").isLessThan(48L * MIB);
        assertThat(sent.stream().filter(CompletableFuture::isDone).count()).as("frames handed to B's socket")
                .isLessThan(96);

        ab.setReceiver(a.checker);
        await().atMost(60, TimeUnit.SECONDS).until(() -> a.checker.intact.size() == 96);
        CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        assertThat(a.checker.bad.get()).isZero();
    }

    @Test
    void endpointCloseStopsTheListenerAndTheLanesAndLeavesNoThread() throws Exception {
        Node a = new Node(CFG);
        Node b = new Node(CFG);
        PeerConnection ab = a.dial(b);
        awaitLane(a, b);
        BulkLane lane = ((QuicPeerConnection) ab).laneForTests();
        InetSocketAddress tcp = b.endpoint.laneAddress();
        String prefix = b.endpoint.threadNamePrefix();

        b.endpoint.close();

        assertThat(QuicEndpointTest.liveThreads(prefix)).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> !lane.isActive());
        try (Socket s = new Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(tcp, 2000))
                    .isInstanceOf(ConnectException.class);
        }
    }
}
