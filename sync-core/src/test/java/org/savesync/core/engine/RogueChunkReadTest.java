package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryIndexStore;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.HubAddress;
import org.savesync.core.protocol.Message;
import org.savesync.core.replication.EntryType;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.testsupport.MemoryChunkStore;
import org.savesync.core.transport.RogueConnection;
import org.savesync.core.transport.TransportConfig;

/**
 * Chunk reads across groups, over real QUIC: a rogue member of group G2 asks for a chunk of a
 * file of group G1 by its hash, from a hub (full replica, one chunk store for every group) and
 * from an agent that is in both groups. It gets "not found", exactly as for a chunk that exists
 * nowhere, while a chunk of its own group is served. On the hub it also tries the dedup trick:
 * it publishes a G2 file whose chunk list names G1's chunk, so that a replica which trusts "the
 * store has it" marks the blob complete without ever receiving the bytes from G2, and serves it.
 */
class RogueChunkReadTest {
    private static final String TOKEN = "enroll-me";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final MemoryChunkStore chunks = new MemoryChunkStore();
    private final InMemoryStores hubStores = new InMemoryStores();
    private final List<SyncEngine> engines = new ArrayList<>();
    private final List<RogueMember> rogues = new ArrayList<>();

    @AfterEach
    void close() {
        rogues.forEach(RogueMember::close);
        engines.forEach(SyncEngine::close);
    }

    private SyncEngine start(String name, EngineConfig cfg, InMemoryStores stores) {
        NodeKey key = NodeKey.generate();
        SyncEngine e = SyncEngine.start(key, new QuicNetwork(key, new InetSocketAddress("127.0.0.1", 0),
                TransportConfig.defaults()), stores, cfg);
        engines.add(e);
        return e;
    }

    private static EngineConfig config(String name) {
        return EngineConfig.defaults(name).withTimings(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private boolean hubHoldsEveryBlob(GroupId g) {
        InMemoryIndexStore idx = (InMemoryIndexStore) hubStores.open(g);
        return !idx.paths().isEmpty() && idx.paths().stream().flatMap(p -> idx.entriesForPath(p).stream())
                .filter(e -> e.entry().type() == EntryType.FILE)
                .allMatch(e -> idx.isComplete(e.entry().blob()) || e.entry().size() == 0);
    }

    private static Message.ChunkData ask(RogueConnection c, long id, GroupId g, ChunkHash h) {
        c.send(new Message.ChunkRequest(id, g, h));
        return c.await(Message.ChunkData.class, d -> d.requestId() == id, WAIT);
    }

    @Test
    void theHubServesAGroupOnlyTheChunksOfItsOwnBlobs() throws Exception {
        SyncEngine hub = start("hub", config("hub").withChunkStore(chunks)
                .withRegistrations((node, group, token) -> { }), hubStores);
        HubAddress hubAddress = new HubAddress(hub.listenAddresses().getFirst(), hub.nodeId());
        SyncEngine a = start("a", config("a"), new InMemoryStores());
        // G1: a secret, smaller than the minimum chunk, so its one chunk's hash is the hash of the file.
        byte[] secret = random(20_000, 1);
        GroupId g1 = a.createGroup("g1", tmp.resolve("g1"));
        Files.write(tmp.resolve("g1/secret.bin"), secret);
        a.group(g1).orElseThrow().scan().get(30, TimeUnit.SECONDS);
        a.registerWithHub(g1, hubAddress, TOKEN).get(30, TimeUnit.SECONDS);
        // G2: the rogue's group, with a file of its own.
        byte[] own = random(20_000, 2);
        GroupId g2 = a.createGroup("g2", tmp.resolve("g2"));
        Files.write(tmp.resolve("g2/own.bin"), own);
        a.group(g2).orElseThrow().scan().get(30, TimeUnit.SECONDS);
        a.registerWithHub(g2, hubAddress, TOKEN).get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(WAIT).until(() -> hubHoldsEveryBlob(g1) && hubHoldsEveryBlob(g2));
        ChunkHash secretHash = ChunkHash.compute(secret);
        assertThat(chunks.contains(secretHash)).as("the hub stores G1's chunk").isTrue();

        RogueMember rogue = RogueMember.join(a.requestInvite(g2, Duration.ofHours(1), true).get(30, TimeUnit.SECONDS));
        rogues.add(rogue);
        RogueConnection c = rogue.link(hub.listenAddresses().getFirst());

        Message.ChunkData ownAnswer = ask(c, 1, g2, ChunkHash.compute(own));
        assertThat(ownAnswer.found()).as("a chunk of the rogue's own group is served").isTrue();
        Message.ChunkData foreign = ask(c, 2, g2, secretHash);
        Message.ChunkData absent = ask(c, 3, g2, ChunkHash.compute(random(100, 3)));
        assertThat(foreign.found()).as("a chunk of G1, asked for in G2").isFalse();
        assertThat(absent.found()).as("a chunk that exists nowhere").isFalse();
        assertThat(foreign.hash()).isEqualTo(secretHash);

        // The dedup trick: a G2 entry whose chunk list names G1's chunk; the rogue can give the
        // list (it knows the hash) but not the bytes.
        List<ChunkRef> list = List.of(new ChunkRef(secret.length, secretHash));
        BlobId forged = BlobId.of(list);
        c.send(rogue.batch(rogue.id(), 0, 1, List.of(rogue.file(1, "copy.bin", forged, secret.length))));
        Message.BlobRequest listAsked = c.await(Message.BlobRequest.class, r -> r.blob().equals(forged), WAIT);
        c.send(new Message.BlobChunks(listAsked.requestId(), forged, true, 0, 1, list));
        // A replica that does not trust its shared store asks G2's members for the bytes.
        c.await(Message.ChunkRequest.class, r -> r.hash().equals(secretHash), WAIT);
        InMemoryIndexStore g2Index = (InMemoryIndexStore) hubStores.open(g2);
        assertThat(g2Index.isComplete(forged)).as("the forged blob is complete in G2 without G2 sending it").isFalse();
        Message.ChunkData after = ask(c, 4, g2, secretHash);
        assertThat(after.found()).as("G1's chunk after the rogue named it in a G2 chunk list").isFalse();

        // Honest members still sync through the hub: a new member of G1 receives the secret from it.
        byte[] later = random(30_000, 4);
        Files.write(tmp.resolve("g1/later.bin"), later);
        a.group(g1).orElseThrow().scan().get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(WAIT).until(() -> hubHoldsEveryBlob(g1)
                && ((InMemoryIndexStore) hubStores.open(g1)).paths().size() == 2);
        var ticket = a.requestInvite(g1, Duration.ofHours(1), true).get(30, TimeUnit.SECONDS);
        a.close();
        SyncEngine b = start("b", config("b"), new InMemoryStores());
        b.join(ticket, tmp.resolve("b")).get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(WAIT).ignoreExceptions().until(() ->
                java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("b/secret.bin")), secret)
                        && java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("b/later.bin")), later));
    }

    @Test
    void anAgentInTwoGroupsServesEachOnlyItsOwnFiles() throws Exception {
        SyncEngine a = start("a", config("a"), new InMemoryStores());
        byte[] secret = random(20_000, 5);
        GroupId g1 = a.createGroup("g1", tmp.resolve("g1"));
        Files.write(tmp.resolve("g1/secret.bin"), secret);
        a.group(g1).orElseThrow().scan().get(30, TimeUnit.SECONDS);
        byte[] own = random(20_000, 6);
        GroupId g2 = a.createGroup("g2", tmp.resolve("g2"));
        Files.write(tmp.resolve("g2/own.bin"), own);
        a.group(g2).orElseThrow().scan().get(30, TimeUnit.SECONDS);

        RogueMember rogue = RogueMember.join(a.invite(g2, Duration.ofHours(1), true));
        rogues.add(rogue);
        RogueConnection c = rogue.link(a.listenAddresses().getFirst());
        assertThat(ask(c, 1, g2, ChunkHash.compute(own)).found()).as("a chunk of the rogue's own group").isTrue();
        assertThat(ask(c, 2, g2, ChunkHash.compute(secret)).found()).as("a chunk of G1, asked for in G2").isFalse();
        assertThat(ask(c, 3, g2, ChunkHash.compute(random(100, 7))).found()).as("a chunk that exists nowhere").isFalse();
        c.send(new Message.ChunkRequest(4, g1, ChunkHash.compute(secret)));
        Awaitility.await().atMost(WAIT).until(() -> a.stats().refusals(EngineStats.Refusal.NOT_A_MEMBER) >= 1);

        // Honest members still sync: a member of G1 receives the secret.
        SyncEngine b = start("b", config("b"), new InMemoryStores());
        b.join(a.invite(g1, Duration.ofHours(1), true), tmp.resolve("b")).get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(WAIT).ignoreExceptions().until(() ->
                java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("b/secret.bin")), secret));
        assertThat(c.messages(Message.ChunkData.class)).noneMatch(d -> d.requestId() == 4);
    }
}
