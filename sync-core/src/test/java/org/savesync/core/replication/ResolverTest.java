package org.savesync.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.savesync.core.replication.Fixtures.GROUP;
import static org.savesync.core.replication.Fixtures.blob;
import static org.savesync.core.replication.Fixtures.id;
import static org.savesync.core.replication.Fixtures.vv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.savesync.core.testsupport.Seeded;
import org.savesync.core.testsupport.Seeded.Gen;
import org.savesync.core.identity.NodeId;
import org.savesync.core.replication.Resolver.Resolution;
import org.junit.jupiter.api.Test;

class ResolverTest {
    private static final NodeId A = id(0x10);
    private static final NodeId B = id(0x20);
    private static final NodeId C = id(0x30);
    private static final SafePath P = SafePath.of("dir/report.pdf");
    private static final long T = Hlc.of(1_700_000_000_000L, 0);

    private static Entry file(NodeId author, long hlc, int content, VersionVector v) {
        return Entry.file(GROUP, author, 1, P, blob(content), 100 + content, 0, false, hlc, v);
    }

    private static Entry dir(NodeId author, long hlc, VersionVector v) {
        return Entry.directory(GROUP, author, 1, P, 0, hlc, v);
    }

    private static Entry deleted(NodeId author, long hlc, VersionVector v) {
        return Entry.deleted(GROUP, author, 1, P, hlc, v);
    }

    private static Entry link(NodeId author, long hlc, String target, VersionVector v) {
        return Entry.symlink(GROUP, author, 1, P, target, 0, hlc, v);
    }

    @Test
    void aSingleCandidateWins() {
        Entry a = file(A, T, 1, vv(A, 1));
        assertThat(Resolver.resolve(List.of(a))).isEqualTo(new Resolution(a, List.of()));
    }

    @Test
    void rule1And2ADominatingVectorWinsEvenWithAnOlderHlc() {
        Entry old = file(A, T + 1000, 1, vv(A, 1));
        Entry newer = file(B, T, 2, vv(A, 1, B, 1));
        assertThat(Resolver.resolve(List.of(old, newer))).isEqualTo(new Resolution(newer, List.of()));
        Entry del = deleted(B, T, vv(A, 1, B, 1));
        assertThat(Resolver.resolve(List.of(old, del)).winner()).as("a delete that saw the edit wins").isEqualTo(del);
    }

    @Test
    void rule1EqualVectorsKeepTheGreaterHlcAuthorAndMakeNoCopy() {
        Entry a = file(A, T, 1, vv(A, 1, B, 1));
        Entry b = file(B, T, 2, vv(A, 1, B, 1));
        assertThat(Resolver.resolve(List.of(a, b))).isEqualTo(new Resolution(b, List.of()));
        Entry aLater = file(A, T + 1, 1, vv(A, 1, B, 1));
        assertThat(Resolver.resolve(List.of(aLater, b))).isEqualTo(new Resolution(aLater, List.of()));
    }

    @Test
    void rule3ConcurrentEditsGreaterHlcWinsLoserIsCopied() {
        Entry a = file(A, T + 5, 1, vv(A, 1));
        Entry b = file(B, T, 2, vv(B, 1));
        Resolution r = Resolver.resolve(List.of(a, b));
        assertThat(r.winner()).isEqualTo(a);
        assertThat(r.conflictCopies()).containsExactly(b);
        assertThat(r.conflictCopyPaths()).containsExactly(ConflictNames.conflictCopyPath(P, b.hlc(), B));
    }

    @Test
    void rule3EqualHlcIsDecidedByAuthorBytesUnsigned() {
        NodeId high = id(0xf0); // 0xf0 is negative as a signed byte: unsigned order must put it last
        Entry a = file(A, T, 1, vv(A, 1));
        Entry h = file(high, T, 2, vv(high, 1));
        assertThat(Resolver.resolve(List.of(a, h)).winner()).isEqualTo(h);
        assertThat(Resolver.resolve(List.of(a, h)).conflictCopies()).containsExactly(a);
    }

    @Test
    void rule3AnEditBeatsAConcurrentDelete() {
        Entry edit = file(A, T, 1, vv(A, 2));
        Entry del = deleted(B, T + 10_000, vv(A, 1, B, 1));
        assertThat(Resolver.resolve(List.of(edit, del))).isEqualTo(new Resolution(edit, List.of()));
        Entry linkEdit = link(A, T, "t", vv(A, 2));
        assertThat(Resolver.resolve(List.of(linkEdit, del)).winner()).isEqualTo(linkEdit);
    }

    @Test
    void rule3ADirectoryBeatsAFileAndTheFileIsCopied() {
        Entry f = file(A, T + 10_000, 1, vv(A, 1));
        Entry d = dir(B, T, vv(B, 1));
        Entry l = link(C, T + 20_000, "x", vv(C, 1));
        Resolution r = Resolver.resolve(List.of(f, d, l));
        assertThat(r.winner()).isEqualTo(d);
        assertThat(r.conflictCopies()).containsExactly(f, l);
    }

    @Test
    void rule3ADirectoryBeatsADeleteAndOtherDirectoriesWithoutCopies() {
        Entry d1 = dir(A, T, vv(A, 1));
        Entry d2 = dir(B, T + 1, vv(B, 1));
        Entry del = deleted(C, T + 2, vv(C, 1));
        assertThat(Resolver.resolve(List.of(d1, d2, del))).isEqualTo(new Resolution(d2, List.of()));
    }

    @Test
    void rule4SameContentOnBothSidesIsNoConflict() {
        Entry a = file(A, T, 1, vv(A, 1));
        Entry b = file(B, T + 1, 1, vv(B, 1));
        assertThat(Resolver.resolve(List.of(a, b))).isEqualTo(new Resolution(b, List.of()));
    }

    @Test
    void rule4LosersWithIdenticalContentMakeOneCopyTheGreater() {
        Entry win = file(A, T + 10, 1, vv(A, 1));
        Entry l1 = file(B, T, 2, vv(B, 1));
        Entry l2 = file(C, T + 5, 2, vv(C, 1));
        assertThat(Resolver.resolve(List.of(win, l1, l2))).isEqualTo(new Resolution(win, List.of(l2)));
        Entry l3 = file(id(0x40), T + 1, 3, vv(id(0x40), 1));
        assertThat(Resolver.resolve(List.of(win, l1, l2, l3)).conflictCopies()).as("sorted by (hlc, author)")
                .containsExactly(l3, l2);
    }

    @Test
    void rule4ExecutableBitAndSymlinkTargetAreContent() {
        Entry a = file(A, T + 1, 1, vv(A, 1));
        Entry b = Entry.file(GROUP, B, 1, P, blob(1), 101, 0, true, T, vv(B, 1));
        assertThat(Resolver.resolve(List.of(a, b)).conflictCopies()).containsExactly(b);
        Entry la = link(A, T + 1, "x", vv(A, 1));
        Entry lb = link(B, T, "y", vv(B, 1));
        Entry lc = link(C, T, "x", vv(C, 1));
        assertThat(Resolver.resolve(List.of(la, lb, lc))).isEqualTo(new Resolution(la, List.of(lb)));
    }

    @Test
    void rule5AllDeletedTheGreatestWins() {
        Entry d1 = deleted(A, T + 3, vv(A, 1));
        Entry d2 = deleted(B, T + 1, vv(B, 1));
        assertThat(Resolver.resolve(List.of(d1, d2))).isEqualTo(new Resolution(d1, List.of()));
    }

    @Test
    void dominatedEntriesProduceNothingEvenWhenOthersConflict() {
        Entry base = file(A, T, 1, vv(A, 1));
        Entry b = file(B, T + 1, 2, vv(A, 1, B, 1));
        Entry c = file(C, T + 2, 3, vv(A, 1, C, 1));
        assertThat(Resolver.resolve(List.of(base, b, c))).isEqualTo(new Resolution(c, List.of(b)));
    }

    @Test
    void refusesBadInput() {
        assertThatThrownBy(() -> Resolver.resolve(List.of())).hasMessageContaining("no candidates");
        Entry a = file(A, T, 1, vv(A, 1));
        assertThatThrownBy(() -> Resolver.resolve(List.of(a, Entry.file(GROUP, B, 1, SafePath.of("other"), blob(1), 101, 0,
                false, T, vv(B, 1))))).hasMessageContaining("one path");
        assertThatThrownBy(() -> Resolver.resolve(List.of(a, file(A, T + 1, 2, vv(A, 2))))).hasMessageContaining("two candidates");
    }

    /** Every replica must derive the same answer whatever order it learned the entries in. */
    @TestFactory
    Stream<DynamicTest> resultDoesNotDependOnInputOrder() {
        return Seeded.tries(500, g -> resultDoesNotDependOnInputOrder(candidateSet(g), g.random()));
    }

    private static void resultDoesNotDependOnInputOrder(List<Entry> candidates, Random random) {
        Resolution expected = Resolver.resolve(candidates);
        List<Entry> shuffled = new ArrayList<>(candidates);
        Collections.shuffle(shuffled, random);
        assertThat(Resolver.resolve(shuffled)).isEqualTo(expected);
        List<Entry> reversed = new ArrayList<>(candidates);
        Collections.reverse(reversed);
        assertThat(Resolver.resolve(reversed)).isEqualTo(expected);
    }

    @TestFactory
    Stream<DynamicTest> resultRespectsTheRules() {
        return Seeded.tries(500, g -> resultRespectsTheRules(candidateSet(g)));
    }

    private static void resultRespectsTheRules(List<Entry> candidates) {
        Resolution r = Resolver.resolve(candidates);
        Entry w = r.winner();
        assertThat(candidates).contains(w);
        for (Entry e : candidates) {
            assertThat(e.version().compare(w.version())).as("nothing dominates the winner").isNotEqualTo(VersionVector.Ordering.DOMINATES);
        }
        if (w.type() == EntryType.DELETED) {
            assertThat(candidates).as("a delete wins only over edits that some candidate has seen")
                    .allSatisfy(e -> assertThat(e.type() == EntryType.DELETED || supersededWithin(e, candidates)).isTrue());
        }
        if (w.type() != EntryType.DIRECTORY) {
            assertThat(candidates).as("a directory that nothing has seen beats any file")
                    .allSatisfy(e -> assertThat(e.type() != EntryType.DIRECTORY || supersededWithin(e, candidates)).isTrue());
        }
        assertThat(r.conflictCopies()).doesNotContain(w).allSatisfy(c -> {
            assertThat(c.type()).isIn(EntryType.FILE, EntryType.SYMLINK);
            assertThat(c.sameContent(w)).isFalse();
            assertThat(c.version().compare(w.version())).isIn(VersionVector.Ordering.CONCURRENT, VersionVector.Ordering.EQUAL);
        });
        for (int i = 0; i < r.conflictCopies().size(); i++) {
            for (int j = i + 1; j < r.conflictCopies().size(); j++) {
                assertThat(r.conflictCopies().get(i).sameContent(r.conflictCopies().get(j))).isFalse();
            }
        }
        assertThat(r.conflictCopyPaths()).doesNotHaveDuplicates();
    }

    /** Whether another candidate has seen {@code e} (dominates it, or has an equal vector and a greater (hlc, author)). */
    private static boolean supersededWithin(Entry e, List<Entry> all) {
        return all.stream().anyMatch(o -> o != e && (o.version().compare(e.version()) == VersionVector.Ordering.DOMINATES
                || o.version().equals(e.version()) && Resolver.ORDER.compare(o, e) > 0));
    }

    /** One to five distinct authors, each with one entry of any type at P, small counters and close clocks. */
    private static List<Entry> candidateSet(Gen g) {
        List<NodeId> pool = List.of(id(0x01), id(0x02), id(0x7f), id(0x80), id(0xfe), id(0xff));
        List<Entry> out = new ArrayList<>();
        for (NodeId author : g.distinct(pool, 1, 5)) {
            EntryType type = g.pick(EntryType.class);
            int content = g.intBetween(1, 3);
            VersionVector v = VersionVector.EMPTY;
            for (NodeId n : pool) {
                for (int k = g.intBetween(0, 2); k > 0; k--) {
                    v = v.increment(n);
                }
            }
            long dt = g.longBetween(0, 3);
            boolean exec = g.bool();
            VersionVector own = v.counter(author) > 0 ? v : v.increment(author);
            long hlc = T + dt;
            out.add(switch (type) {
                case FILE -> Entry.file(GROUP, author, 1, P, blob(content), content, 0, exec, hlc, own);
                case DIRECTORY -> dir(author, hlc, own);
                case SYMLINK -> link(author, hlc, "t" + content, own);
                case DELETED -> deleted(author, hlc, own);
            });
        }
        return out;
    }
}
