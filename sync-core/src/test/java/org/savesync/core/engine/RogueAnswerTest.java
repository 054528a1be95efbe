package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.protocol.Message;
import org.savesync.core.transport.RogueConnection;

/**
 * Answers bound to their question, over real QUIC. A rogue member sprays chunk-list and chunk
 * answers for request ids it was never asked (ids are sequential, so guessing is easy): every
 * one is dropped and counted, and the honest fetch they aimed at completes. And a rogue that is
 * asked for a chunk list announces 2^31-1 chunks for a 1 MiB file: the receiver stops at the
 * first page instead of asking for page after page.
 */
class RogueAnswerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void sprayedAnswersAreDroppedAndCountedAndTheFetchCompletes() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 2).formGroup();
             RogueMember rogue = RogueMember.join(c.engines.get(0).invite(c.group, Duration.ofHours(1), true))) {
            SyncEngine receiver = c.engines.get(1);
            RogueConnection link = rogue.link(receiver.listenAddresses().getFirst());
            Awaitility.await().atMost(WAIT).until(() -> c.handle(1).status().peers() >= 2);

            byte[] big = new byte[3 * 1024 * 1024 + 5];
            new Random(11).nextBytes(big);
            Files.write(c.folders.get(0).resolve("big.bin"), big);
            c.handle(0).scan().get(30, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> c.handle(1).status().filesPending() > 0
                    || Files.exists(c.folders.get(1).resolve("big.bin")));

            int sprayed = 0;
            ChunkHash any = ChunkHash.compute(new byte[] {1});
            BlobId blob = BlobId.of(List.of(new ChunkRef(1, any)));
            for (long id = 1; id <= 300; id++) {
                link.send(new Message.ChunkData(id, any, null));
                link.send(new Message.BlobChunks(id, blob, false, 0, 0, List.of()));
                sprayed += 2;
            }
            // Ids the receiver really asked of the rogue may be among them: those answers are the rogue's to give.
            int askedOfRogue = link.messages(Message.ChunkRequest.class).size() + link.messages(Message.BlobRequest.class).size();
            int mustBeDropped = sprayed - 2 * askedOfRogue;
            Awaitility.await().atMost(WAIT).until(() ->
                    receiver.stats().refusals(Refusal.UNSOLICITED_ANSWER) >= mustBeDropped);
            Awaitility.await().atMost(WAIT).ignoreExceptions().until(() ->
                    java.util.Arrays.equals(Files.readAllBytes(c.folders.get(1).resolve("big.bin")), big));
            assertThat(receiver.stats().refusals(Refusal.UNSOLICITED_ANSWER))
                    .as("sprayed answers dropped and counted").isGreaterThanOrEqualTo(mustBeDropped);
        }
    }

    @Test
    void aChunkListLongerThanItsFileCanHaveIsNotRead() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 2).formGroup();
             RogueMember rogue = RogueMember.join(c.engines.get(0).invite(c.group, Duration.ofHours(1), true))) {
            SyncEngine victim = c.engines.get(0);
            RogueConnection link = rogue.link(victim.listenAddresses().getFirst());
            Awaitility.await().atMost(WAIT).until(() -> c.handle(0).status().peers() >= 2);

            // The rogue's own file of 1 MiB: at most 1 MiB / 64 KiB + 1 = 17 chunks.
            BlobId blob = BlobId.of(List.of(new ChunkRef(1, ChunkHash.compute(new byte[] {2}))));
            link.send(rogue.batch(rogue.id(), 0, 1, List.of(rogue.file(1, "huge.bin", blob, 1 << 20))));
            Message.BlobRequest asked = link.await(Message.BlobRequest.class, r -> r.blob().equals(blob), WAIT);
            List<ChunkRef> page = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                page.add(new ChunkRef(1024, ChunkHash.compute(new byte[] {(byte) i, (byte) (i >> 8)})));
            }
            link.send(new Message.BlobChunks(asked.requestId(), blob, true, 0, Integer.MAX_VALUE, page));
            Awaitility.await().atMost(WAIT).until(() -> victim.stats().refusals(Refusal.BAD_CHUNK_LIST) >= 1
                    || link.messages(Message.BlobRequest.class).stream().anyMatch(r -> r.firstChunk() > 0));
            assertThat(link.messages(Message.BlobRequest.class))
                    .as("pages asked for past what a 1 MiB file can have").noneMatch(r -> r.firstChunk() > 0);
            assertThat(victim.stats().refusals(Refusal.BAD_CHUNK_LIST)).isGreaterThanOrEqualTo(1);

            // Honest members still sync.
            Files.writeString(c.folders.get(1).resolve("honest.txt"), "still here");
            c.handle(1).scan().get(30, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(c.folders.get(0).resolve("honest.txt")));
        }
    }
}
