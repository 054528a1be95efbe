package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.protocol.Message;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.Seeded;
import org.savesync.core.testsupport.Seeded.Gen;
import org.savesync.core.testsupport.SimNetwork;
import org.savesync.core.testsupport.Workloads;

/**
 * The engine's central promise, tested as a property: three peers run the real engine on
 * real folders over a network that drops, duplicates, delays and reorders messages and
 * cuts links, while random creates, edits, deletes, renames and touches happen on all
 * three, every write with unique content. After the network heals:
 * <ol>
 *   <li>all three folders are identical (independent manifests), and</li>
 *   <li>every write ever made is still there, as a current file or as a conflict copy,
 *       unless it was superseded causally: the peer that edited or deleted it had it on
 *       disk at that moment. The test tracks that itself, from what each peer's disk
 *       showed when the operation ran.</li>
 * </ol>
 * Operations run under the engine's folder lock (as a user's editor would, minus the tiny
 * race between a sync write and a user write that no sync tool can close) and are followed
 * by a scan of that peer, which stands in for its file watcher.
 *
 * <p>200 tries, each from one seed ({@link Seeded}: the seed is in the try's name and in a
 * failure; {@code -Dsavesync.seed=<seed>} replays one try's inputs; the threads' interleaving is
 * not replayed). Two planted bugs ({@link Plant}) show that each of the two checks can fail:
 * {@link #plantedBugsAreCaught} runs one scripted try with each and requires its failure, and
 * {@code -Dsavesync.convergence.plant=overwrite|mute-peer} plants one into every try.
 */
class ConvergencePropertyTest {
    private static final List<String> NAMES = List.of("a.txt", "b.txt", "notes.md", "d/c.txt", "d/e/f.txt",
            "d/e/g", "Ünïcødé/日本.txt");
    private static final Duration CONVERGE_DEADLINE = Duration.ofSeconds(60);

    enum Kind { CREATE, EDIT, DELETE, RENAME, TOUCH, CUT }

    record Op(Kind kind, int peer, int pick, int target) {
    }

    /** A bug planted to show that the test notices it. */
    enum Plant {
        NONE(""),
        /** After the operations, node 0 overwrites a file whose content nobody superseded, as a sync tool that
         *  destroys a local edit would: must fail with "writes lost". */
        OVERWRITE("writes lost"),
        /** The network loses every index batch node 2 sends, for good: must fail with "no convergence". */
        MUTE_PEER("no convergence");

        final String failure;

        Plant(String failure) {
            this.failure = failure;
        }

        static Plant fromProperty() {
            String p = System.getProperty("savesync.convergence.plant", "none");
            return valueOf(p.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    /** Two creates on node 0 and node 2, an edit and a delete: a try that each plant spoils. */
    private static final List<Op> PLANT_SCRIPT = List.of(new Op(Kind.CREATE, 0, 0, 0), new Op(Kind.CREATE, 2, 0, 1),
            new Op(Kind.EDIT, 1, 0, 0), new Op(Kind.CREATE, 0, 0, 3), new Op(Kind.DELETE, 2, 1, 0));
    /** Convergence is impossible with MUTE_PEER, so its try need not wait the full deadline to see it fail. */
    private static final Duration PLANTED_DEADLINE = Duration.ofSeconds(10);
    private static final int[] KIND_WEIGHTS = {6, 6, 3, 3, 2, 2}; // in the order of Kind

    @TempDir
    Path tmp;

    /** 4 to 24 operations of weighted kinds, on random peers, picks and target names. */
    static List<Op> operations(Gen g) {
        return g.list(4, 24, o -> new Op(Kind.values()[o.weighted(KIND_WEIGHTS)], o.intBetween(0, 2),
                o.intBetween(0, 1000), o.intBetween(0, NAMES.size() - 1)));
    }

    @TestFactory
    Stream<DynamicTest> replicasConvergeAndKeepEveryWrite() {
        Plant plant = Plant.fromProperty();
        return Seeded.tries(200, g -> oneTry(operations(g), g.anyLong(), plant, CONVERGE_DEADLINE));
    }

    /**
     * Seeds of runs that once failed (under the property-testing library used before, which drew other inputs from them): kept
     * as tries of their own. The interleavings they found are replayed step by step in
     * {@link ConflictCopyNameTest}.
     */
    @TestFactory
    Stream<DynamicTest> regressionSeeds() {
        return Seeded.seeds(List.of(-8727458821807586478L, -5391382132059698250L),
                g -> oneTry(operations(g), g.anyLong(), Plant.NONE, CONVERGE_DEADLINE));
    }

    /**
     * The operations of the CI failure on seed -5391382132059698250 (write-6 lost: a delete of
     * a conflict copy superseded the loser's edit of it that the deleting peer never had), as
     * its log printed them (its link cuts are not logged), on the network seed of that try.
     */
    @org.junit.jupiter.api.Test
    void replaysTheLostConflictCopyEdit() throws Exception {
        List<Op> ops = List.of(new Op(Kind.CREATE, 2, 522, 2), new Op(Kind.CREATE, 1, 31, 6),
                new Op(Kind.DELETE, 0, 849, 3), new Op(Kind.EDIT, 2, 136, 2), new Op(Kind.CREATE, 2, 926, 6),
                new Op(Kind.DELETE, 0, 162, 3), new Op(Kind.RENAME, 2, 5, 5), new Op(Kind.CREATE, 2, 64, 6),
                new Op(Kind.EDIT, 1, 8, 5), new Op(Kind.DELETE, 2, 546, 5));
        oneTry(ops, 0x47, Plant.NONE, CONVERGE_DEADLINE);
    }

    /** The checks can fail: each planted bug makes a scripted try fail with its message. */
    @TestFactory
    Stream<DynamicTest> plantedBugsAreCaught() {
        return Stream.of(Plant.OVERWRITE, Plant.MUTE_PEER).map(plant -> DynamicTest.dynamicTest(plant.name(), () -> {
            AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                    () -> oneTry(PLANT_SCRIPT, 42, plant, plant == Plant.MUTE_PEER ? PLANTED_DEADLINE : CONVERGE_DEADLINE),
                    "planted " + plant + " went unnoticed");
            assertThat(e.getMessage()).as("the failure for planted " + plant).contains(plant.failure);
        }));
    }

    private void oneTry(List<Op> ops, long seed, Plant plant, Duration deadline) throws Exception {
        Path base = Files.createTempDirectory(tmp, "try");
        Model model = new Model(seed, Files.createDirectories(base.resolve("scratch")));
        try (SimCluster c = new SimCluster(base, 3, seed, SimCluster.fastConfig("prop")).formGroup()) {
            c.net.setFaults(new SimNetwork.Faults(0.15, 0.1, 0.3, 25));
            if (plant == Plant.MUTE_PEER) {
                var muted = c.keys.get(2).nodeId();
                c.net.block((from, to, m) -> from.equals(muted) && m instanceof Message.EntryBatch);
            }
            for (Op op : ops) {
                if (op.kind() == Kind.CUT) {
                    c.net.cutRandomLink();
                    continue;
                }
                GroupHandle g = c.handle(op.peer());
                g.withFolderLock(() -> {
                    model.apply(op, g.folder());
                    return null;
                });
                g.scan().get(30, TimeUnit.SECONDS);
            }
            if (plant == Plant.OVERWRITE) {
                GroupHandle g = c.handle(0);
                g.withFolderLock(() -> {
                    model.overwriteWithoutSuperseding(g.folder());
                    return null;
                });
                g.scan().get(30, TimeUnit.SECONDS);
            }
            c.net.setFaults(SimNetwork.Faults.NONE);
            try {
                awaitConvergence(c, deadline);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no convergence; what happened:\n" + String.join("\n", model.log) + "\n"
                        + describe(c), e);
            }

            Manifest m0 = Manifest.of(c.folders.get(0));
            Set<String> present = contentsOf(c.folders.get(0));
            Set<String> missing = new TreeSet<>();
            for (String w : model.writes) {
                if (!model.superseded.contains(w) && !present.contains(w)) {
                    missing.add(w);
                }
            }
            if (!missing.isEmpty()) {
                assertThat(missing).as("writes lost (not superseded causally); what happened:%n%s%n%s",
                        String.join("\n", model.log), describe(c)).isEmpty();
            }
        } finally {
            Workloads.deleteTree(base);
        }
    }

    private static void awaitConvergence(SimCluster c, Duration deadline) {
        Awaitility.await().atMost(deadline).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (int i = 0; i < 3; i++) {
                c.handle(i).scan().get(30, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 3; i++) {
                if (!c.handle(i).status().idle()) {
                    return false;
                }
            }
            var k = c.handle(0).knowledge();
            if (!k.equals(c.handle(1).knowledge()) || !k.equals(c.handle(2).knowledge())) {
                return false;
            }
            Manifest m = Manifest.of(c.folders.get(0));
            return m.equals(Manifest.of(c.folders.get(1))) && m.equals(Manifest.of(c.folders.get(2)));
        });
    }

    static String describe(SimCluster c) throws Exception {
        StringBuilder sb = new StringBuilder();
        Manifest m0 = Manifest.of(c.folders.get(0));
        for (int i = 0; i < 3; i++) {
            sb.append("node ").append(i).append(": ").append(c.handle(i).status()).append(" knowledge ")
                    .append(c.handle(i).knowledge()).append(" stats ").append(c.engines.get(i).stats()).append('\n')
                    .append("  ").append(c.handle(i).describe()).append('\n');
            if (i > 0) {
                sb.append("diff 0 vs ").append(i).append(":\n").append(m0.diff(Manifest.of(c.folders.get(i))))
                        .append('\n');
            }
        }
        sb.append("tree 0:\n").append(m0).append("\nlinks: ").append(c.net.openLinks());
        return sb.toString();
    }

    /** What the test did and what it knows about causality. */
    static final class Model {
        final List<String> writes = new ArrayList<>();
        final Set<String> superseded = new HashSet<>();
        final List<String> log = new ArrayList<>();
        private final long seed;
        private final Path scratch;
        private int counter;

        Model(long seed, Path scratch) {
            this.seed = seed;
            this.scratch = scratch;
        }

        void apply(Op op, Path root) throws IOException {
            List<Path> files = files(root);
            int before = writes.size();
            Set<String> supersededBefore = new HashSet<>(superseded);
            applyOp(op, root, files);
            Set<String> newlySuperseded = new TreeSet<>(superseded);
            newlySuperseded.removeAll(supersededBefore);
            log.add("peer " + op.peer() + " " + op.kind() + " pick=" + op.pick() + " target=" + NAMES.get(op.target())
                    + " files=" + files.stream().map(f -> root.relativize(f).toString()).toList()
                    + " wrote=" + writes.subList(before, writes.size()).stream().map(String::strip).toList()
                    + " superseded=" + newlySuperseded.stream().map(String::strip).toList());
        }

        private void applyOp(Op op, Path root, List<Path> files) throws IOException {
            switch (op.kind()) {
                case CREATE -> {
                    Path p = root.resolve(NAMES.get(op.target()));
                    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                            edit(p);
                        }
                    } else if (parentsAreDirectories(root, p)) {
                        Files.createDirectories(p.getParent());
                        write(p, newContent(op));
                    }
                }
                case EDIT -> {
                    if (!files.isEmpty()) {
                        edit(files.get(op.pick() % files.size()));
                    }
                }
                case DELETE -> {
                    if (!files.isEmpty()) {
                        Path p = files.get(op.pick() % files.size());
                        superseded.add(read(p));
                        Files.delete(p);
                    }
                }
                case RENAME -> {
                    if (!files.isEmpty()) {
                        Path p = files.get(op.pick() % files.size());
                        Path to = root.resolve(NAMES.get(op.target()));
                        if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS) && parentsAreDirectories(root, to)) {
                            Files.createDirectories(to.getParent());
                            Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
                        }
                    }
                }
                case TOUCH -> {
                    if (!files.isEmpty()) {
                        Path p = files.get(op.pick() % files.size());
                        FileTime t = Files.getLastModifiedTime(p);
                        Files.setLastModifiedTime(p, FileTime.fromMillis(t.toMillis() + 1000 + op.pick()));
                    }
                }
                case CUT -> {
                }
            }
        }

        /** The planted bug "overwrite": replaces a file's content without recording that it was superseded. */
        void overwriteWithoutSuperseding(Path root) throws IOException {
            for (Path p : files(root)) {
                if (superseded.contains(read(p))) {
                    continue; // overwriting this one loses nothing
                }
                log.add("planted: overwrote " + root.relativize(p) + " (" + read(p).strip() + ") without superseding it");
                write(p, newContent(null));
                return;
            }
        }

        private void edit(Path p) throws IOException {
            superseded.add(read(p));
            write(p, newContent(null));
        }

        private String newContent(Op op) {
            String w = "write-" + (++counter) + "-" + Long.toHexString(seed) + "\n";
            writes.add(w);
            return w;
        }

        /** Writes like an editor does: a new file renamed over the old one (a new inode). */
        private void write(Path p, String content) throws IOException {
            Path tmp = scratch.resolve("edit-" + counter);
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        private static boolean parentsAreDirectories(Path root, Path p) {
            for (Path q = p.getParent(); q != null && q.startsWith(root) && !q.equals(root); q = q.getParent()) {
                if (Files.exists(q, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !root.relativize(p).toString().startsWith(".savesync"))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    private static Set<String> contentsOf(Path root) throws IOException {
        Set<String> out = new HashSet<>();
        for (Path p : files(root)) {
            out.add(read(p));
        }
        return out;
    }
}
