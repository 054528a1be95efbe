package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.protocol.Message;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.SimNetwork;

/**
 * Scripted interleavings around the name of a conflict copy, each once found by
 * {@link ConvergencePropertyTest} and replayed here step by step: two or three members, a
 * network that is partitioned or keeps chunks from one of them while the script says so, and a
 * wall clock the test holds (every conflict copy of the script is named after the same
 * second).
 */
class ConflictCopyNameTest {
    private static final SimNetwork.Blocker PARTITION = (from, to, m) -> true;
    private static final SimNetwork.Blocker NO_CHUNKS = (from, to, m) ->
            m instanceof Message.ChunkData || m instanceof Message.BlobChunks;

    @TempDir
    Path tmp;

    /** One second of wall clock, moved by the script. */
    private final AtomicLong wall = new AtomicLong(System.currentTimeMillis() / 1000 * 1000);

    private SimCluster cluster() {
        return new SimCluster(tmp, 2, 7, SimCluster.fastConfig("copies").withWallClock(wall::get)).formGroup();
    }

    /**
     * Seed -5391382132059698250 ("write-6 lost"): the loser edits its conflict copy, so a
     * real entry of its own takes that name. The winner has the entry but not its bytes yet
     * when its user deletes the copy, which still shows the old lost version there. That
     * delete supersedes only what the winner's disk showed, never the edit it has not seen.
     */
    @Test
    void deletingACopyWhoseNameARealEntryTookKeepsTheEditNotYetReceived() throws Exception {
        try (SimCluster c = cluster()) {
            Path copy = concurrentCreates(c, "x.txt");
            int loser = authorOf(c, copy);
            int winner = 1 - loser;

            c.net.block(NO_CHUNKS);
            write(c, loser, copy, "the loser edited its copy\n");
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> c.handle(winner).knowledge().equals(c.handle(loser).knowledge())
                            && c.handle(winner).status().filesPending() > 0);
            delete(c, winner, copy);
            c.net.block(SimNetwork.Blocker.NONE);

            awaitConverged(c);
            assertThat(contents(c.folders.get(0))).as("files after the network healed: %s", c.handle(0).describe())
                    .contains("the loser edited its copy\n");
        }
    }

    /**
     * Seed -8727458821807586478 ("a conflict copy removed and re-created under the same
     * second's name"): the loser made its conflict copy a file of its own and then deleted
     * it (only its tombstone is left at that name), then it loses again at the same path
     * within the same second. Its new copy must still be shown.
     */
    @Test
    void aCopyNamedLikeADeletedFileIsStillShown() throws Exception {
        try (SimCluster c = cluster()) {
            Path copy = concurrentCreates(c, "x.txt");
            int loser = authorOf(c, copy);
            int winner = 1 - loser;
            write(c, loser, copy, "the loser made its copy a file\n");
            awaitConverged(c);
            delete(c, loser, copy);
            awaitConverged(c);
            assertThat(Files.exists(c.folders.get(loser).resolve(copy))).as("deleted everywhere").isFalse();

            c.net.block(PARTITION);
            wall.addAndGet(100);
            write(c, loser, Path.of("x.txt"), "second loser\n");
            wall.addAndGet(100);
            write(c, winner, Path.of("x.txt"), "second winner\n");
            c.net.block(SimNetwork.Blocker.NONE);

            awaitConverged(c);
            Set<String> files = names(c.folders.get(0));
            assertThat(contents(c.folders.get(0))).as("files after the second conflict: %s; %s", files,
                    c.handle(0).describe()).contains("second loser\n", "second winner\n");
        }
    }

    /**
     * Found while scripting the case above: a conflict is settled (the loser deletes its
     * copy, which re-publishes the winner's content with a vector covering both), then the
     * winner edits the file. Its own first entry there is superseded by the settlement it
     * had on disk, so nothing of it is shown again; before, it came back as a conflict copy
     * whose bytes the edit had just overwritten everywhere, and the replicas never converged.
     */
    @Test
    void editingAfterASettledConflictBringsNoOldVersionBack() throws Exception {
        try (SimCluster c = cluster()) {
            Path copy = concurrentCreates(c, "x.txt");
            int loser = authorOf(c, copy);
            int winner = 1 - loser;
            delete(c, loser, copy);
            awaitConverged(c);
            assertThat(names(c.folders.get(winner))).as("settled everywhere").containsExactly("x.txt");

            write(c, winner, Path.of("x.txt"), "the winner edited it\n");
            awaitConverged(c);
            assertThat(names(c.folders.get(0))).as("files: %s", c.handle(0).describe()).containsExactly("x.txt");
            assertThat(contents(c.folders.get(1))).containsExactly("the winner edited it\n");
        }
    }

    /**
     * Seed 0x7fffffffffffffff (CI, "no convergence": one member showed the loser's copy under
     * {@code …-<seq>}, the other two showed nothing, and the loser had lost that version): a
     * member starts fetching a loser's copy under its plain name, where nothing is on disk,
     * and before the bytes arrive an entry of a third member takes that name. The fetch gives
     * way to that entry's, so the lost version must be planned again, under its
     * {@code -<seq>} name. (In the seed the third member had made an older copy there a file
     * of its own; here it creates a file of that name, which leaves the same index.)
     */
    @Test
    void aCopyWhoseNameIsTakenWhileItIsFetchedMovesToItsSeqName() throws Exception {
        try (SimCluster c = new SimCluster(tmp, 3, 7, SimCluster.fastConfig("copies").withWallClock(wall::get))
                .formGroup()) {
            var n0 = c.keys.get(0).nodeId();
            var n1 = c.keys.get(1).nodeId();
            var n2 = c.keys.get(2).nodeId();
            SimNetwork.Blocker apart2 = (from, to, m) -> from.equals(n2) || to.equals(n2);
            SimNetwork.Blocker noChunksFrom0 = (from, to, m) -> from.equals(n0) && to.equals(n1)
                    && NO_CHUNKS.blocks(from, to, m);

            // Node 0 loses a conflict with node 1; node 1 moves the copy out of the way; node 2 is apart.
            c.net.block(PARTITION);
            wall.addAndGet(100);
            write(c, 0, Path.of("x.txt"), "first of node 0\n");
            wall.addAndGet(100);
            write(c, 1, Path.of("x.txt"), "first of node 1\n");
            c.net.block(apart2);
            awaitConverged(c, 0, 1);
            Path copy = Path.of(names(c.folders.get(0)).stream().filter(n -> n.contains(".sync-conflict-"))
                    .findFirst().orElseThrow());
            assertThat(authorOf(c, copy)).as("the loser").isZero();
            c.handle(1).withFolderLock(() -> Files.move(c.folders.get(1).resolve(copy),
                    c.folders.get(1).resolve("kept.txt")));
            c.handle(1).scan().get(30, TimeUnit.SECONDS);
            awaitConverged(c, 0, 1);
            write(c, 2, copy, "node 2's own file of that name\n");

            // Node 0 loses again within the same second, so its copy's plain name is the same.
            c.net.block(PARTITION);
            wall.addAndGet(100);
            write(c, 0, Path.of("x.txt"), "second loser\n");
            wall.addAndGet(100);
            write(c, 1, Path.of("x.txt"), "second winner\n");

            // Node 1 learns of the loser but gets none of its bytes.
            c.net.block((from, to, m) -> apart2.blocks(from, to, m) || noChunksFrom0.blocks(from, to, m));
            long loserSeq = c.handle(0).knowledge().get(n0);
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> c.handle(1).knowledge().get(n0) == loserSeq && c.handle(1).status().filesPending() > 0);
            // Node 2's entry at the copy's plain name reaches node 1 while the copy is still being fetched.
            c.net.block((from, to, m) -> noChunksFrom0.blocks(from, to, m)
                    || from.equals(n0) && to.equals(n2) || from.equals(n2) && to.equals(n0));
            long takenSeq = c.handle(2).knowledge().get(n2);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> c.handle(1).knowledge().get(n2) == takenSeq);
            c.net.block(SimNetwork.Blocker.NONE);

            awaitConverged(c, 0, 1, 2);
            for (int i = 0; i < 3; i++) {
                assertThat(contents(c.folders.get(i))).as("node %d's files: %s; %s", i, names(c.folders.get(i)),
                        c.handle(i).describe()).contains("second loser\n", "second winner\n",
                        "node 2's own file of that name\n");
            }
        }
    }

    /**
     * Both members create {@code name} while partitioned (node 0 first, so node 1 wins),
     * then the partition heals; returns the conflict copy's path, relative to the folder.
     */
    private Path concurrentCreates(SimCluster c, String name) throws Exception {
        c.net.block(PARTITION);
        wall.addAndGet(100);
        write(c, 0, Path.of(name), "first of node 0\n");
        wall.addAndGet(100);
        write(c, 1, Path.of(name), "first of node 1\n");
        c.net.block(SimNetwork.Blocker.NONE);
        awaitConverged(c);
        List<String> copies = names(c.folders.get(0)).stream().filter(n -> n.contains(".sync-conflict-")).toList();
        assertThat(copies).as("one conflict copy").hasSize(1);
        return Path.of(copies.get(0));
    }

    private static int authorOf(SimCluster c, Path copy) {
        for (int i = 0; i < c.keys.size(); i++) {
            if (copy.getFileName().toString().contains(c.keys.get(i).nodeId().shortId(7))) {
                return i;
            }
        }
        throw new AssertionError("no member wrote " + copy);
    }

    /** Writes like an editor (a new file moved over the old one) under the folder lock, then scans. */
    private void write(SimCluster c, int node, Path rel, String content) throws Exception {
        Path tmpFile = Files.createTempFile(tmp, "edit", ".tmp");
        Files.writeString(tmpFile, content, StandardCharsets.UTF_8);
        c.handle(node).withFolderLock(() -> Files.move(tmpFile, c.folders.get(node).resolve(rel),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING));
        c.handle(node).scan().get(30, TimeUnit.SECONDS);
    }

    private static void delete(SimCluster c, int node, Path rel) throws Exception {
        c.handle(node).withFolderLock(() -> {
            Files.delete(c.folders.get(node).resolve(rel));
            return null;
        });
        c.handle(node).scan().get(30, TimeUnit.SECONDS);
    }

    private static void awaitConverged(SimCluster c) throws Exception {
        awaitConverged(c, 0, 1);
    }

    /** Waits until {@code nodes} are idle and show the same knowledge and the same files. */
    private static void awaitConverged(SimCluster c, int... nodes) throws Exception {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (int i : nodes) {
                    c.handle(i).scan().get(30, TimeUnit.SECONDS);
                }
                for (int i : nodes) {
                    if (!c.handle(i).status().idle() || !c.handle(nodes[0]).knowledge().equals(c.handle(i).knowledge())
                            || !Manifest.of(c.folders.get(nodes[0])).equals(Manifest.of(c.folders.get(i)))) {
                        return false;
                    }
                }
                return true;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no convergence:\n" + describe(c), e);
        }
    }

    private static String describe(SimCluster c) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.folders.size(); i++) {
            sb.append("node ").append(i).append(": ").append(c.handle(i).status()).append(" knowledge ")
                    .append(c.handle(i).knowledge()).append("\n  ").append(c.handle(i).describe()).append("\n  files ")
                    .append(names(c.folders.get(i))).append('\n');
        }
        return sb.toString();
    }

    private static Set<String> names(Path root) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path p : files(root)) {
            out.add(root.relativize(p).toString());
        }
        return out;
    }

    private static Set<String> contents(Path root) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path p : files(root)) {
            out.add(Files.readString(p, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !root.relativize(p).toString().startsWith(".savesync"))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }
}
