package org.savesync.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;

/**
 * The send budget (issue 9, section 1, back-pressure): a peer that completes the handshake and
 * then reads nothing holds our frames back by QUIC flow control. Everything submitted to its
 * connection and not yet taken by QUIC is bounded by {@link TransportConfig#maxPendingSendBytes()};
 * the submission that would pass it closes the connection with 0x6 BUSY
 * ({@link SendBudgetExceededException}, {@link TransportStats#closedSendBudget()}), and every
 * frame still waiting fails. An honest connection on the same endpoint (and event loop) keeps
 * exchanging frames throughout.
 *
 * <p>What is held is measured, not inferred ({@link HeldMemory}: the frames wait as direct buffers
 * of Netty's pooled allocator, so the retained heap alone would not see them). Without the budget
 * the same sender makes the endpoint hold {@link #MAX_FRAMES} MiB.
 */
class SendBudgetTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);
    private static final int MIB = 1024 * 1024;
    /** The budget under test: 8 MiB (the smallest allowed is one 4 MiB frame; the default is 128 MiB). */
    private static final long BUDGET = 8L * MIB;
    private static final int FRAME = MIB;
    /** Per-stream window the rogue grants (four times that per connection): what QUIC itself may take. */
    private static final long ROGUE_WINDOW = 64 * 1024;
    /** How long the sender goes on if nothing stops it: eight budgets. */
    private static final int MAX_FRAMES = 64;
    /**
     * What the attack may make the endpoint hold beyond the start, live direct buffers and
     * retained heap together: the budget plus 8 MiB for the frame being encoded, the honest
     * connection's frames and the heap's noise after a full collection.
     */
    private static final long MEMORY_BOUND = BUDGET + 8L * MIB;
    /** What may still be held once the rogue's connection is gone: noise only. */
    private static final long AFTER_BOUND = 4L * MIB;

    @Test
    void aPeerThatReadsNothingIsClosedBusyAtTheBudgetAndAnHonestPeerKeepsExchangingFrames() throws Exception {
        // One event-loop thread: the rogue's and the honest connection share it, so a frame the
        // honest connection has written proves the rogue's earlier submission was handled.
        TransportConfig cfg = TransportConfig.defaults().withEventLoopThreads(1).withMaxPendingSendBytes(BUDGET);
        Map<NodeId, PeerConnection> inbound = new ConcurrentHashMap<>();
        Map<NodeId, RecordingReceiver> received = new ConcurrentHashMap<>();
        RecordingReceiver atHonest = new RecordingReceiver();
        try (QuicEndpoint ours = QuicEndpoint.start(NodeKey.generate(), LOCAL, cfg, id -> true, c -> {
                 RecordingReceiver r = new RecordingReceiver();
                 received.put(c.remote(), r);
                 c.setReceiver(r);
                 inbound.put(c.remote(), c);
             });
             QuicEndpoint honest = QuicEndpoint.start(NodeKey.generate(), LOCAL, TransportConfig.defaults()
                     .withEventLoopThreads(1), id -> true, c -> { });
             RoguePeer rogue = RoguePeer.stingy(NodeKey.generate(), ROGUE_WINDOW)) {
            PeerConnection honestLink = honest.dial(ours.localAddress(), ours.nodeId(), Alpn.MEMBER)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            honestLink.setReceiver(atHonest);
            RogueConnection rc = rogue.dial(ours.localAddress(), Alpn.MEMBER, WAIT);
            rc.stopReading();
            Awaitility.await().atMost(WAIT).until(() -> inbound.containsKey(honest.nodeId())
                    && inbound.containsKey(rogue.nodeId()));
            PeerConnection toHonest = inbound.get(honest.nodeId());
            PeerConnection toRogue = inbound.get(rogue.nodeId());

            byte[] frame = new byte[FRAME];
            new Random(7).nextBytes(frame);
            long before = HeldMemory.bytes();
            long maxGrowth = 0;

            // The sender of the engine's kind: submits and does not wait for QUIC to take the frame.
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            int firstFailed = -1;
            for (int i = 0; i < MAX_FRAMES && firstFailed < 0; i++) {
                sends.add(i % 2 == 0 ? toRogue.sendBulk(frame) : toRogue.send(frame));
                // A barrier on the shared event loop, and proof that the honest peer is still served.
                toHonest.send(("tick " + i).getBytes(StandardCharsets.UTF_8)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                long growth = HeldMemory.bytes() - before;
                maxGrowth = Math.max(maxGrowth, growth);
                assertThat(growth).as("memory the endpoint holds after %d MiB submitted to a peer that reads nothing"
                        + " (direct + retained heap, bound %d MiB)", i + 1, MEMORY_BOUND / MIB).isLessThan(MEMORY_BOUND);
                if (sends.get(i).isCompletedExceptionally()) {
                    firstFailed = i;
                }
            }
            if (firstFailed < 0) {
                fail("%d MiB were submitted to a peer that reads nothing and no send failed (budget %d MiB); %s",
                        MAX_FRAMES, BUDGET / MIB, ours.stats());
            }
            System.out.printf("send budget: first failed send #%d, max growth %.1f MiB (bound %d MiB), %s%n",
                    firstFailed + 1, maxGrowth / (double) MIB, MEMORY_BOUND / MIB, ours.stats());

            // The submission that passed the budget fails with the typed exception, and the sends
            // before it were held, not refused: the budget does not cut a peer below it.
            Throwable cause = causeOf(sends.get(firstFailed));
            assertThat(cause).isInstanceOfSatisfying(SendBudgetExceededException.class, e -> {
                assertThat(e.peer()).isEqualTo(rogue.nodeId());
                assertThat(e.budget()).isEqualTo(BUDGET);
                assertThat(e.pendingBytes()).isLessThanOrEqualTo(BUDGET).isGreaterThan(BUDGET - FRAME);
            });
            long window = 4 * ROGUE_WINDOW;
            assertThat((long) firstFailed * FRAME).as("bytes submitted before the budget closed the connection")
                    .isGreaterThanOrEqualTo(BUDGET).isLessThanOrEqualTo(BUDGET + window);

            // Closed with 0x6 BUSY, counted once, heard by the receiver; every frame still waiting fails.
            Awaitility.await().atMost(WAIT).until(() -> !rc.isOpen());
            assertThat(rc.closeCode()).as(rc.closeDescription()).isEqualTo(Protocol.CLOSE_BUSY);
            assertThat(rc.closeDescription()).contains("send budget exceeded");
            assertThat(ours.stats().closedSendBudget()).isEqualTo(1);
            RecordingReceiver atOursFromRogue = received.get(rogue.nodeId());
            Awaitility.await().atMost(WAIT).until(() -> atOursFromRogue.closedCalls.get() == 1);
            assertThat(atOursFromRogue.closeCause.get()).isInstanceOf(SendBudgetExceededException.class);
            assertThat(toRogue.isOpen()).isFalse();
            CompletableFuture.allOf(sends.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(sends.stream().filter(CompletableFuture::isCompletedExceptionally).count())
                    .as("sends that failed (the rogue took at most its %d KiB window)", window / 1024)
                    .isGreaterThanOrEqualTo(firstFailed);
            assertThat(toRogue.send(frame)).failsWithin(WAIT);

            // What was held is let go.
            Awaitility.await().atMost(WAIT).until(() -> HeldMemory.bytes() - before < AFTER_BOUND);

            // The honest peer got every tick in order and still exchanges frames both ways, bulk too.
            int ticks = firstFailed + 1;
            Awaitility.await().atMost(WAIT).until(() -> atHonest.frames.size() == ticks);
            for (int i = 0; i < ticks; i++) {
                assertThat(atHonest.texts().get(i)).isEqualTo("tick " + i);
            }
            toHonest.sendBulk(frame).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            honestLink.send("still here".getBytes(StandardCharsets.UTF_8)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> atHonest.bytes.get() >= FRAME
                    && received.get(honest.nodeId()).texts().contains("still here"));
            assertThat(toHonest.isOpen()).isTrue();
            assertThat(honest.stats().closedSendBudget()).isZero();
        }
    }

    private static Throwable causeOf(CompletableFuture<Void> f) throws InterruptedException {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            return e;
        }
    }
}
