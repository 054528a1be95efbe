package org.savesync.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;

/** Real QUIC over 127.0.0.1 between endpoints in this JVM. */
class QuicEndpointTest {
    static final InetSocketAddress ANY_LOCAL = new InetSocketAddress("127.0.0.1", 0);
    static final TransportConfig CFG = TransportConfig.defaults().withEventLoopThreads(1)
            .withHandshakeTimeout(Duration.ofSeconds(3));

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A listening endpoint that records its inbound connections and sets a receiver on each. */
    static final class Node {
        final NodeKey key = NodeKey.generate();
        final List<PeerConnection> inbound = new java.util.concurrent.CopyOnWriteArrayList<>();
        final RecordingReceiver received;
        final QuicEndpoint endpoint;

        Node(TransportConfig cfg, Admission admission, boolean keepFrames) {
            received = new RecordingReceiver(keepFrames);
            endpoint = QuicEndpoint.start(key, ANY_LOCAL, cfg, admission, c -> {
                inbound.add(c);
                c.setReceiver(received);
            });
        }

        NodeId id() {
            return key.nodeId();
        }
    }

    private Node node(TransportConfig cfg, Admission admission) {
        Node n = new Node(cfg, admission, true);
        toClose.add(n.endpoint);
        return n;
    }

    private Node node() {
        return node(CFG, id -> true);
    }

    @Test
    void handshakeThenFramesBothWaysOnControlAndBulkStreams() throws Exception {
        Node a = node();
        Node b = node();
        PeerConnection ab = a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.MEMBER).get(5, TimeUnit.SECONDS);
        RecordingReceiver atA = new RecordingReceiver();
        ab.setReceiver(atA);

        assertThat(ab.remote()).isEqualTo(b.id());
        assertThat(ab.alpn()).isEqualTo(Alpn.MEMBER);
        assertThat(ab.inbound()).isFalse();
        assertThat(ab.isOpen()).isTrue();
        assertThat(ab.remoteAddress()).isEqualTo(b.endpoint.localAddress());
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.inbound.size() == 1);
        PeerConnection ba = b.inbound.get(0);
        assertThat(ba.remote()).isEqualTo(a.id());
        assertThat(ba.inbound()).isTrue();
        assertThat(ba.alpn()).isEqualTo(Alpn.MEMBER);

        for (int i = 0; i < 50; i++) {
            ab.send(("a" + i).getBytes(StandardCharsets.UTF_8));
            ba.send(("b" + i).getBytes(StandardCharsets.UTF_8));
        }
        byte[] mib = new byte[1024 * 1024];
        new Random(1).nextBytes(mib);
        ab.sendBulk(mib).get(5, TimeUnit.SECONDS);
        ba.sendBulk(mib).get(5, TimeUnit.SECONDS);

        List<String> fromA = new ArrayList<>();
        List<String> fromB = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fromA.add("a" + i);
            fromB.add("b" + i);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> b.received.frames.size() == 51 && atA.frames.size() == 51);
        // Control frames arrive in order; the bulk frame may come anywhere among them.
        assertThat(b.received.frames).filteredOn(f -> f.length < 100).extracting(f -> new String(f, StandardCharsets.UTF_8))
                .containsExactlyElementsOf(fromA);
        assertThat(atA.frames).filteredOn(f -> f.length < 100).extracting(f -> new String(f, StandardCharsets.UTF_8))
                .containsExactlyElementsOf(fromB);
        assertThat(b.received.frames).filteredOn(f -> f.length == mib.length).singleElement().isEqualTo(mib);
        assertThat(atA.frames).filteredOn(f -> f.length == mib.length).singleElement().isEqualTo(mib);

        assertThat(a.endpoint.stats().connectionsOutbound()).isEqualTo(1);
        assertThat(b.endpoint.stats().connectionsInbound()).isEqualTo(1);
        assertThat(a.endpoint.stats().framesSent()).isEqualTo(51);
        assertThat(b.endpoint.stats().framesReceived()).isEqualTo(51);
        assertThat(b.endpoint.stats().bytesReceived()).isEqualTo(a.endpoint.stats().bytesSent());

        ab.close("test done");
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.received.closedCalls.get() == 1 && atA.closedCalls.get() == 1);
        assertThat(b.received.closeCause.get()).as("a normal close by the peer").isNull();
        assertThat(atA.closeCause.get()).isNull();
        assertThat(ab.isOpen()).isFalse();
        assertThat(ab.send("late".getBytes())).failsWithin(1, TimeUnit.SECONDS);
    }

    private static byte[] chunk(int index, int size) {
        byte[] b = new byte[size];
        new Random(index).nextBytes(b);
        ByteBuffer.wrap(b).putInt(index);
        return b;
    }

    @Test
    void sixtyFourMebibytesOfBulkFramesArriveIntactWithBoundedInFlight() throws Exception {
        Node a = node();
        Node b = node();
        int frames = 64;
        int size = 1024 * 1024;
        ConcurrentHashMap<Integer, Boolean> intact = new ConcurrentHashMap<>();
        AtomicInteger corrupt = new AtomicInteger();
        PeerConnection ab = a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.MEMBER).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.inbound.size() == 1);
        b.inbound.get(0).setReceiver(new FrameReceiver() {
            @Override
            public void onFrame(PeerConnection from, byte[] frame) {
                int index = ByteBuffer.wrap(frame).getInt();
                if (index >= 0 && index < frames && java.util.Arrays.equals(frame, chunk(index, size))) {
                    intact.put(index, Boolean.TRUE);
                } else {
                    corrupt.incrementAndGet();
                }
            }

            @Override
            public void onClosed(PeerConnection connection, Throwable causeOrNull) {
            }
        });

        Semaphore inFlight = new Semaphore(8);
        long start = System.nanoTime();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            inFlight.acquire();
            sent.add(ab.sendBulk(chunk(i, size)).whenComplete((v, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        await().atMost(30, TimeUnit.SECONDS).until(() -> intact.size() + corrupt.get() == frames);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("bulk: %d MiB in %.2f s = %.0f MB/s%n", frames, seconds, frames * (double) size / 1e6 / seconds);

        assertThat(corrupt.get()).isZero();
        assertThat(intact).hasSize(frames);
        assertThat(b.endpoint.stats().bytesReceived()).isEqualTo((long) frames * size);
    }

    @Test
    void dialingAnAddressWhereAnotherNodeAnswersIsRefusedAndNothingIsDelivered() throws Exception {
        Node a = node();
        Node b = node();
        NodeId c = NodeKey.generate().nodeId();

        CompletableFuture<PeerConnection> dial = a.endpoint.dial(b.endpoint.localAddress(), c, Alpn.MEMBER);

        assertThatThrownBy(() -> dial.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(PeerIdentityMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(c);
                    assertThat(e.actual()).isEqualTo(b.id());
                    assertThat(e.getMessage()).contains(c.toString()).contains(b.id().toString());
                });
        assertThat(a.endpoint.stats().refusedIdentityMismatch()).isEqualTo(1);
        assertThat(a.endpoint.stats().connectionsOutbound()).isZero();
        assertThat(b.inbound).isEmpty();
        assertThat(b.endpoint.stats().connectionsInbound()).isZero();
        assertThat(b.endpoint.stats().framesReceived()).isZero();

        // The same endpoints still work together when the right id is expected.
        assertThat(a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.MEMBER).get(5, TimeUnit.SECONDS).isOpen()).isTrue();
    }

    @Test
    void aNonMemberIsRefusedOnMemberAlpnButAcceptedOnJoin() throws Exception {
        Node a = node();
        Node b = node(CFG, id -> false);

        CompletableFuture<PeerConnection> member = a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.MEMBER);
        assertThatThrownBy(() -> member.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(PeerRefusedException.class, e -> {
                    assertThat(e.notAMember()).isTrue();
                    assertThat(e.peer()).isEqualTo(b.id());
                    assertThat(e.getMessage()).contains("peer " + b.id() + " refused us: not a member of any shared group");
                });
        assertThat(b.endpoint.stats().refusedNonMember()).isEqualTo(1);
        assertThat(b.inbound).isEmpty();
        assertThat(a.endpoint.stats().connectionsOutbound()).isZero();

        PeerConnection join = a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.JOIN).get(5, TimeUnit.SECONDS);
        join.send("token".getBytes(StandardCharsets.UTF_8));
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.received.frames.size() == 1);
        assertThat(b.inbound).singleElement().satisfies(c -> {
            assertThat(c.alpn()).isEqualTo(Alpn.JOIN);
            assertThat(c.remote()).isEqualTo(a.id());
        });
        assertThat(b.received.texts()).containsExactly("token");
        assertThat(b.endpoint.stats().refusedNonMember()).isEqualTo(1);
    }

    @Test
    void aFrameAnnouncingMoreThanTheLimitClosesTheConnection() throws Exception {
        Node a = node();
        Node b = node();
        PeerConnection ab = a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.MEMBER).get(5, TimeUnit.SECONDS);
        RecordingReceiver atA = new RecordingReceiver();
        ab.setReceiver(atA);
        assertThat(ab.send(new byte[Frames.MAX_FRAME_SIZE + 1])).failsWithin(1, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(FrameTooLargeException.class);
        ab.send("fine".getBytes(StandardCharsets.UTF_8));
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.received.frames.size() == 1);

        int announced = Frames.MAX_FRAME_SIZE + 1;
        ((QuicPeerConnection) ab).writeRawOnControl(ByteBuffer.allocate(8).putInt(announced).putInt(42).array());

        await().atMost(5, TimeUnit.SECONDS).until(() -> b.received.closedCalls.get() == 1 && atA.closedCalls.get() == 1);
        assertThat(b.received.closeCause.get()).isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
            assertThat(e.length()).isEqualTo(announced);
            assertThat(e.max()).isEqualTo(Frames.MAX_FRAME_SIZE);
        });
        assertThat(b.endpoint.stats().framesTooLarge()).isEqualTo(1);
        assertThat(atA.closeCause.get()).isInstanceOfSatisfying(ConnectionClosedException.class, e -> {
            assertThat(e.code()).isEqualTo(Protocol.CLOSE_FRAME_TOO_LARGE);
            assertThat(e.getMessage()).contains("frame too large");
        });
        assertThat(b.received.texts()).containsExactly("fine");
        assertThat(ab.isOpen()).isFalse();
    }

    @Test
    void framesThatArriveBeforeAReceiverIsSetAreKeptInOrder() throws Exception {
        Node a = node();
        Node b = node();
        PeerConnection ab = a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.MEMBER).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.inbound.size() == 1);
        for (int i = 0; i < 20; i++) {
            b.inbound.get(0).send(("early" + i).getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> a.endpoint.stats().framesReceived() == 20);
        b.inbound.get(0).close("bye");
        await().atMost(5, TimeUnit.SECONDS).until(() -> !ab.isOpen());

        RecordingReceiver late = new RecordingReceiver();
        ab.setReceiver(late);
        await().atMost(5, TimeUnit.SECONDS).until(() -> late.closedCalls.get() == 1);
        assertThat(late.texts()).hasSize(20).first().isEqualTo("early0");
        assertThat(late.texts()).last().isEqualTo("early19");
        assertThat(late.closeCause.get()).isNull();
    }

    @Test
    void keepAlivesHoldAnIdleConnectionOpenAcrossManyIdleTimeouts() throws Exception {
        TransportConfig shortIdle = CFG.withIdleTimeout(Duration.ofMillis(600), Duration.ofMillis(200));
        Node a = node(shortIdle, id -> true);
        Node b = node(shortIdle, id -> true);
        PeerConnection ab = a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.MEMBER).get(5, TimeUnit.SECONDS);
        RecordingReceiver atA = new RecordingReceiver();
        ab.setReceiver(atA);
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.inbound.size() == 1);

        await().during(Duration.ofMillis(3000)).atMost(Duration.ofMillis(4000))
                .until(() -> ab.isOpen() && b.inbound.get(0).isOpen());
        ab.send("still here".getBytes(StandardCharsets.UTF_8));
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.received.frames.size() == 1);
        assertThat(atA.closedCalls.get()).isZero();
        assertThat(b.received.frames).as("keep-alives are not delivered").hasSize(1);
    }

    @Test
    void withoutKeepAlivesAnIdleConnectionTimesOut() throws Exception {
        TransportConfig noKeepAlive = CFG.withIdleTimeout(Duration.ofMillis(600), Duration.ZERO);
        Node a = node(noKeepAlive, id -> true);
        Node b = node(noKeepAlive, id -> true);
        PeerConnection ab = a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.MEMBER).get(5, TimeUnit.SECONDS);
        RecordingReceiver atA = new RecordingReceiver();
        ab.setReceiver(atA);

        await().atMost(5, TimeUnit.SECONDS).until(() -> atA.closedCalls.get() == 1);
        assertThat(atA.closeCause.get()).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("idle timeout");
    }

    @Test
    void closeEndsEveryConnectionAndLeavesNoThreadBehind() throws Exception {
        Node a = node();
        Node b = node();
        PeerConnection ab = a.endpoint.dial(b.endpoint.localAddress(), b.id(), Alpn.MEMBER).get(5, TimeUnit.SECONDS);
        RecordingReceiver atA = new RecordingReceiver();
        ab.setReceiver(atA);
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.inbound.size() == 1);
        String prefix = b.endpoint.threadNamePrefix();
        assertThat(liveThreads(prefix)).isPositive();

        b.endpoint.close();

        assertThat(liveThreads(prefix)).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> atA.closedCalls.get() == 1);
        assertThat(ab.isOpen()).isFalse();
        assertThat(b.received.closedCalls.get()).isEqualTo(1);
        b.endpoint.close(); // idempotent
        assertThat(b.endpoint.dial(a.endpoint.localAddress(), a.id(), Alpn.MEMBER)).failsWithin(1, TimeUnit.SECONDS);
    }

    static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
