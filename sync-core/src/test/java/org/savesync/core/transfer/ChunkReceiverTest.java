package org.savesync.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.stats.EngineStats.Refusal;

/**
 * What happens to each kind of chunk answer, for file transfers and the hub's blob fetches
 * alike: a good one is kept, counted and verified; a bad one is refused and asked of another
 * peer; "not found" asks another peer without blaming this one; a stray one changes nothing.
 * The executors run tasks at once, so each answer is settled when {@code onChunkData} returns.
 */
class ChunkReceiverTest {
    private static final Executor NOW = Runnable::run;
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final GroupId GROUP = GroupId.random();

    private final Random random = new Random(9);
    private final byte[] data = bytes(1000);
    private final ChunkRef chunk = new ChunkRef(data.length, ChunkHash.compute(data));
    private final PeerLink alice = new PeerLink(1);
    private final PeerLink bob = new PeerLink(2);
    private final EngineStats stats = new EngineStats();
    private final Map<Integer, byte[]> kept = new ConcurrentHashMap<>();
    private ChunkReceiver.Kept sinkSays = ChunkReceiver.Kept.YES;
    private boolean cancelled;
    private int pumps;
    private long nextId = 1;
    private int slotsTaken;

    private final ChunkReceiver receiver = new ChunkReceiver(List.of(chunk),
            ChunkRequests.Slots.of(link -> { slotsTaken++; return nextId++; }, id -> slotsTaken--),
            new ChunkReceiver.Owner(NOW, NOW, stats, () -> cancelled, () -> pumps++),
            (i, c, d) -> {
                if (sinkSays == ChunkReceiver.Kept.YES) {
                    kept.put(i, d);
                }
                return sinkSays;
            }, "a.txt");

    @Test
    void aGoodAnswerIsKeptCountedAndVerified() {
        long id = ask();

        receiver.onChunkData(alice, new Message.ChunkData(id, chunk.hash(), data));

        assertThat(kept).containsOnlyKeys(0);
        assertThat(stats.chunkBytesFetched.sum()).isEqualTo(data.length);
        assertThat(receiver.verifiedBytes()).isEqualTo(data.length);
        assertThat(receiver.requests().allDone()).isTrue();
        assertThat(slotsTaken).isZero();
        assertThat(pumps).isEqualTo(1);
        assertThat(stats.refusalsTotal()).isZero();
    }

    @Test
    void bytesThatDoNotHashToTheChunkAreRefusedAndAskedOfAnotherPeer() {
        long id = ask();
        byte[] forged = data.clone();
        forged[17] ^= 1;

        receiver.onChunkData(alice, new Message.ChunkData(id, chunk.hash(), forged));

        assertRefusedAndAskedOfBob();
    }

    @Test
    void anAnswerNamingAnotherHashIsRefusedEvenWithTheRightBytes() {
        long id = ask();

        receiver.onChunkData(alice, new Message.ChunkData(id, ChunkHash.compute(bytes(1000)), data));

        assertRefusedAndAskedOfBob();
    }

    @Test
    void anAnswerOfAnotherLengthIsRefused() {
        long id = ask();

        receiver.onChunkData(alice, new Message.ChunkData(id, chunk.hash(), java.util.Arrays.copyOf(data, 999)));

        assertRefusedAndAskedOfBob();
    }

    @Test
    void bytesTheSinkDoesNotKeepAreRefused() {
        sinkSays = ChunkReceiver.Kept.NO;
        long id = ask();

        receiver.onChunkData(alice, new Message.ChunkData(id, chunk.hash(), data));

        assertRefusedAndAskedOfBob();
    }

    @Test
    void notFoundAsksAnotherPeerWithoutBlamingThisOne() {
        long id = ask();

        receiver.onChunkData(alice, new Message.ChunkData(id, chunk.hash(), null));

        assertThat(stats.refusalsTotal()).isZero();
        assertThat(pumps).isEqualTo(1);
        receiver.requests().send(4, this::pick, GROUP, TIMEOUT);
        assertThat(bob.asked()).hasSize(1);
    }

    @Test
    void aLocalFailureOfTheSinkIsLeftToItsOwner() {
        sinkSays = ChunkReceiver.Kept.FAILED;
        long id = ask();

        receiver.onChunkData(alice, new Message.ChunkData(id, chunk.hash(), data));

        assertThat(stats.refusalsTotal()).isZero();
        assertThat(stats.chunkBytesFetched.sum()).isZero();
        assertThat(receiver.verifiedBytes()).isZero();
        assertThat(pumps).isZero();
        assertThat(slotsTaken).as("the slot is held until the owner cancels").isEqualTo(1);
    }

    @Test
    void anAnswerFromAnotherLinkOrAfterCancelChangesNothing() {
        long id = ask();

        receiver.onChunkData(bob, new Message.ChunkData(id, chunk.hash(), data));
        receiver.onChunkData(alice, new Message.ChunkData(id + 1, chunk.hash(), data));
        cancelled = true;
        receiver.onChunkData(alice, new Message.ChunkData(id, chunk.hash(), data));

        assertThat(kept).isEmpty();
        assertThat(stats.refusalsTotal()).isZero();
        assertThat(receiver.verifiedBytes()).isZero();
        assertThat(pumps).isZero();
    }

    @Test
    void chunksAlreadyHereAreVerifiedWithoutAsking() {
        java.util.BitSet have = new java.util.BitSet();
        have.set(0);

        assertThat(receiver.alreadyHave(have)).isEqualTo(data.length);

        assertThat(receiver.verifiedBytes()).isEqualTo(data.length);
        receiver.requests().send(4, this::pick, GROUP, TIMEOUT);
        assertThat(alice.asked()).isEmpty();
    }

    private void assertRefusedAndAskedOfBob() {
        assertThat(kept).isEmpty();
        assertThat(stats.refusals(Refusal.BAD_CHUNK)).isEqualTo(1);
        assertThat(stats.chunkBytesFetched.sum()).isZero();
        assertThat(receiver.verifiedBytes()).isZero();
        assertThat(slotsTaken).isZero();
        assertThat(pumps).isEqualTo(1);
        receiver.requests().send(4, this::pick, GROUP, TIMEOUT);
        assertThat(bob.asked()).hasSize(1);
        assertThat(alice.asked()).hasSize(1);
    }

    /** Asks alice for the chunk; returns the request's id. */
    private long ask() {
        receiver.requests().send(4, this::pick, GROUP, TIMEOUT);
        assertThat(alice.asked()).hasSize(1);
        return alice.asked().getFirst().requestId();
    }

    private Link pick(Set<NodeId> exclude) {
        for (PeerLink l : List.of(alice, bob)) {
            if (!exclude.contains(l.remote())) {
                return l;
            }
        }
        return null;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A peer's end of a link: keeps the chunk requests sent to it. */
    private record PeerLink(NodeId remote, boolean inbound, boolean isOpen, List<Message.ChunkRequest> asked)
            implements Link {
        PeerLink(int n) {
            this(node(n), false, true, new ArrayList<>());
        }

        private static NodeId node(int n) {
            byte[] raw = new byte[NodeId.LENGTH];
            raw[0] = (byte) n;
            return NodeId.of(raw);
        }

        @Override
        public void send(Message m) {
            asked.add((Message.ChunkRequest) m);
        }

        @Override
        public CompletableFuture<Void> sendBulk(Message m) {
            throw new UnsupportedOperationException("a receiver only asks (send); chunk data goes the other way");
        }

        @Override
        public void close(String reason) {
            // nothing to close: no connection behind it
        }
    }
}
