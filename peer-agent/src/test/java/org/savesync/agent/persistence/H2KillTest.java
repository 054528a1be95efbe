package org.savesync.agent.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.IndexStore;
import org.savesync.core.index.TestRecords;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.SafePath;

/**
 * A committed write survives kill -9 of the process: a child JVM ({@link StoreWriterMain})
 * writes to the index and acknowledges each round on stdout; it is killed with SIGKILL at
 * several points, and after each kill the database must open and hold every acknowledged
 * round. Each run resumes on the same database, so later kills also hit a recovered file.
 */
class H2KillTest {
    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
        Path dataDir = tmp.resolve("data");
        GroupId group = GroupId.random();
        long acked = 0;
        long resumedAt = 0;
        int run = 0;
        for (int roundsBeforeKill : List.of(2, 25, 120)) {
            run++;
            Path stderr = tmp.resolve("child-" + run + ".err");
            Process child = new ProcessBuilder(javaCommand(), "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-cp", System.getProperty("java.class.path"),
                    StoreWriterMain.class.getName(), dataDir.toString(), group.toString())
                    .redirectError(stderr.toFile())
                    .start();
            try {
                BlockingQueue<String> lines = readLines(child);
                resumedAt = Long.parseLong(awaitLine(lines, "resuming at ", child, stderr));
                assertThat(resumedAt).as("the child's knowledge after the previous kill").isGreaterThanOrEqualTo(acked);
                for (int i = 0; i < roundsBeforeKill; i++) {
                    acked = Long.parseLong(awaitLine(lines, "stored ", child, stderr));
                }
            } finally {
                child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no H2 close
            }
            assertThat(child.waitFor(CHILD_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("child exited").isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

            assertAllAcknowledgedPresent(dataDir, group, acked, resumedAt);
        }
    }

    private static void assertAllAcknowledgedPresent(Path dataDir, GroupId group, long acked, long resumedAt) throws Exception {
        var pool = H2TestDatabase.openDatabase(dataDir);
        try {
            IndexStore s = new H2Stores(pool).open(group);
            NodeId author = NodeKey.loadOrCreate(dataDir).nodeId();
            // store() is atomic and raises knowledge in the same transaction: the rounds up to the
            // knowledge are whole, nothing after it is there (the child may have got further than
            // it could tell us before the kill)
            long known = s.knowledge().get(author);
            assertThat(known).as("knowledge").isGreaterThanOrEqualTo(acked);
            assertThat(s.entry(author, SafePath.of(StoreWriterMain.HOT_PATH)))
                    .hasValueSatisfying(e -> assertThat(e.entry().seq()).as("hot path's seq").isEqualTo(known));
            assertThat(s.entryBySeq(author, known + 1)).isEmpty();
            for (long seq = 1; seq < known; seq++) {
                if (seq % StoreWriterMain.BATCH != 0) { // a round's last entry went to the hot path, since replaced
                    assertThat(s.entryBySeq(author, seq)).as("entry %d of %d known", seq, known).isPresent();
                }
            }
            // Local records and chunk lists are written behind, in the next store()'s transaction:
            // each round's are durable once the following round's entries are (in the same child:
            // the queued ones of an earlier child's last round died with it).
            assertThat(known).as("the child got past its first round").isGreaterThan(resumedAt + StoreWriterMain.BATCH);
            for (long round = resumedAt + StoreWriterMain.BATCH; round + StoreWriterMain.BATCH <= known;
                 round += StoreWriterMain.BATCH) {
                assertThat(s.local(SafePath.of("local/" + round))).as("local record of round %d", round).isPresent();
                assertThat(s.chunkList(BlobId.of(TestRecords.chunks(3, (int) round)))).as("chunk list of round %d", round)
                        .contains(TestRecords.chunks(3, (int) round));
            }
        } finally {
            pool.dispose(); // closes the database so the next child can open it
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static BlockingQueue<String> readLines(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("reader failed: " + e);
            }
        }, "kill-test-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The rest of the next line starting with {@code prefix} (other lines, e.g. logging, are skipped). */
    private static String awaitLine(BlockingQueue<String> lines, String prefix, Process child, Path stderr)
            throws Exception {
        long deadline = System.nanoTime() + CHILD_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
            if (line == null && !child.isAlive() && lines.isEmpty()) {
                fail("the child exited with " + child.exitValue() + " before printing '" + prefix + "':\n"
                        + Files.readString(stderr));
            }
        }
        return fail("no '" + prefix + "' from the child within " + CHILD_DEADLINE + ":\n" + Files.readString(stderr));
    }
}
