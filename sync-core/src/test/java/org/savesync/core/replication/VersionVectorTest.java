package org.savesync.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.savesync.core.replication.Fixtures.id;
import static org.savesync.core.replication.Fixtures.vv;

import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.savesync.core.testsupport.Seeded;
import org.savesync.core.testsupport.Seeded.Gen;
import org.savesync.core.identity.NodeId;
import org.savesync.core.replication.VersionVector.Ordering;
import org.junit.jupiter.api.Test;

class VersionVectorTest {
    private static final NodeId A = id(1);
    private static final NodeId B = id(2);
    private static final NodeId C = id(0xff);

    @Test
    void compareExamples() {
        assertThat(vv(A, 1).compare(vv(A, 1))).isEqualTo(Ordering.EQUAL);
        assertThat(VersionVector.EMPTY.compare(VersionVector.EMPTY)).isEqualTo(Ordering.EQUAL);
        assertThat(vv(A, 2).compare(vv(A, 1))).isEqualTo(Ordering.DOMINATES);
        assertThat(vv(A, 1, B, 1).compare(vv(A, 1))).isEqualTo(Ordering.DOMINATES);
        assertThat(vv(A, 1).compare(vv(A, 1, B, 1))).isEqualTo(Ordering.DOMINATED);
        assertThat(vv(A, 2).compare(vv(A, 1, B, 1))).isEqualTo(Ordering.CONCURRENT);
        assertThat(vv(A, 1).compare(vv(B, 1))).isEqualTo(Ordering.CONCURRENT);
        assertThat(vv(A, 1).compare(VersionVector.EMPTY)).isEqualTo(Ordering.DOMINATES);
    }

    @Test
    void incrementMergeCounter() {
        VersionVector v = VersionVector.EMPTY.increment(A).increment(A).increment(B);
        assertThat(v.counter(A)).isEqualTo(2);
        assertThat(v.counter(B)).isEqualTo(1);
        assertThat(v.counter(C)).isZero();
        assertThat(vv(A, 3, B, 1).merge(vv(A, 1, C, 5))).isEqualTo(vv(A, 3, B, 1, C, 5));
        assertThat(v.counters().keySet()).containsExactly(A, B);
        assertThat(vv(C, 1, A, 1).counters().firstKey()).as("sorted by node id").isEqualTo(A);
    }

    @Test
    void refusesNonPositiveCounters() {
        assertThatThrownBy(() -> vv(A, 0)).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> vv(A, -3)).hasMessageContaining(">= 1");
    }

    @TestFactory
    Stream<DynamicTest> compareIsReflexiveAndMirrored() {
        return Seeded.tries(300, g -> compareIsReflexiveAndMirrored(vector(g), vector(g)));
    }

    private static void compareIsReflexiveAndMirrored(VersionVector a, VersionVector b) {
        assertThat(a.compare(a)).isEqualTo(Ordering.EQUAL);
        Ordering ab = a.compare(b);
        Ordering ba = b.compare(a);
        switch (ab) {
            case EQUAL -> assertThat(ba).isEqualTo(Ordering.EQUAL);
            case DOMINATES -> assertThat(ba).isEqualTo(Ordering.DOMINATED);
            case DOMINATED -> assertThat(ba).isEqualTo(Ordering.DOMINATES);
            case CONCURRENT -> assertThat(ba).isEqualTo(Ordering.CONCURRENT);
        }
        assertThat(ab == Ordering.EQUAL).isEqualTo(a.equals(b));
        assertThat(a.dominatesOrEquals(b)).isEqualTo(ab == Ordering.EQUAL || ab == Ordering.DOMINATES);
    }

    @TestFactory
    Stream<DynamicTest> mergeIsTheLeastUpperBound() {
        return Seeded.tries(300, g -> mergeIsTheLeastUpperBound(vector(g), vector(g), vector(g)));
    }

    private static void mergeIsTheLeastUpperBound(VersionVector a, VersionVector b, VersionVector c) {
        VersionVector m = a.merge(b);
        assertThat(m.dominatesOrEquals(a)).isTrue();
        assertThat(m.dominatesOrEquals(b)).isTrue();
        assertThat(m).isEqualTo(b.merge(a));
        assertThat(a.merge(a)).isEqualTo(a);
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
        if (c.dominatesOrEquals(a) && c.dominatesOrEquals(b)) {
            assertThat(c.dominatesOrEquals(m)).isTrue();
        }
    }

    @TestFactory
    Stream<DynamicTest> dominanceIsTransitive() {
        return Seeded.tries(300, g -> dominanceIsTransitive(vector(g), vector(g), vector(g)));
    }

    private static void dominanceIsTransitive(VersionVector a, VersionVector b, VersionVector c) {
        if (a.dominatesOrEquals(b) && b.dominatesOrEquals(c)) {
            assertThat(a.dominatesOrEquals(c)).isTrue();
        }
    }

    @TestFactory
    Stream<DynamicTest> incrementDominates() {
        return Seeded.tries(300, g -> incrementDominates(vector(g), g.pick(NODES)));
    }

    private static void incrementDominates(VersionVector a, NodeId n) {
        VersionVector next = a.increment(n);
        assertThat(next.compare(a)).isEqualTo(Ordering.DOMINATES);
        assertThat(next.counter(n)).isEqualTo(a.counter(n) + 1);
    }

    private static final List<NodeId> NODES = List.of(A, B, C, id(0x80));

    /** Up to four of the nodes, each with a counter of 0..3 (0: absent). */
    private static VersionVector vector(Gen g) {
        Map<NodeId, Long> positive = new HashMap<>();
        for (NodeId n : g.distinct(NODES, 0, 4)) {
            positive.put(n, g.longBetween(0, 3));
        }
        positive.values().removeIf(c -> c == 0);
        return VersionVector.of(positive);
    }
}
