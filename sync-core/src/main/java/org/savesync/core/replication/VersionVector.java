package org.savesync.core.replication;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.savesync.core.identity.NodeId;

/**
 * The version vector of a path: {@code author → counter}, raised by an author each time it
 * changes that path. Absent authors count 0, so only positive counters are stored. Entries
 * are sorted by node id (raw bytes, unsigned), which is also their order in signed bytes.
 * Immutable.
 */
public final class VersionVector {
    /** How one vector relates to another. */
    public enum Ordering {
        /** Same counters everywhere. */
        EQUAL,
        /** At least as high everywhere and higher somewhere: this one saw everything the other saw. */
        DOMINATES,
        /** The other dominates this one. */
        DOMINATED,
        /** Each is higher somewhere: the changes were made without knowing of each other. */
        CONCURRENT
    }

    public static final VersionVector EMPTY = new VersionVector(new TreeMap<>());

    private final NavigableMap<NodeId, Long> counters;

    private VersionVector(TreeMap<NodeId, Long> counters) {
        this.counters = Collections.unmodifiableNavigableMap(counters);
    }

    /** A vector with these counters; every counter must be ≥ 1. */
    public static VersionVector of(Map<NodeId, Long> counters) {
        TreeMap<NodeId, Long> m = new TreeMap<>();
        counters.forEach((id, c) -> {
            Objects.requireNonNull(id, "node id");
            if (c == null || c < 1) {
                throw new IllegalArgumentException("a version vector counter is >= 1, got " + c + " for " + id);
            }
            m.put(id, c);
        });
        return new VersionVector(m);
    }

    /** This vector with {@code author}'s counter raised by one: what an author does when it changes the path. */
    public VersionVector increment(NodeId author) {
        TreeMap<NodeId, Long> m = new TreeMap<>(counters);
        m.merge(Objects.requireNonNull(author, "author"), 1L, Math::addExact);
        return new VersionVector(m);
    }

    /** The pointwise maximum: a vector that dominates or equals both. */
    public VersionVector merge(VersionVector other) {
        TreeMap<NodeId, Long> m = new TreeMap<>(counters);
        other.counters.forEach((id, c) -> m.merge(id, c, Math::max));
        return new VersionVector(m);
    }

    /** {@code node}'s counter, 0 when absent. */
    public long counter(NodeId node) {
        return counters.getOrDefault(node, 0L);
    }

    public Ordering compare(VersionVector other) {
        boolean higher = false;
        boolean lower = false;
        TreeSet<NodeId> all = new TreeSet<>(counters.keySet());
        all.addAll(other.counters.keySet());
        for (NodeId id : all) {
            long a = counter(id);
            long b = other.counter(id);
            higher |= a > b;
            lower |= a < b;
        }
        if (higher && lower) {
            return Ordering.CONCURRENT;
        }
        return higher ? Ordering.DOMINATES : lower ? Ordering.DOMINATED : Ordering.EQUAL;
    }

    /** True when this vector has seen everything {@code other} has. */
    public boolean dominatesOrEquals(VersionVector other) {
        Ordering o = compare(other);
        return o == Ordering.DOMINATES || o == Ordering.EQUAL;
    }

    /** The counters, sorted by node id (unmodifiable). */
    public NavigableMap<NodeId, Long> counters() {
        return counters;
    }

    public int size() {
        return counters.size();
    }

    public boolean isEmpty() {
        return counters.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v && counters.equals(v.counters);
    }

    @Override
    public int hashCode() {
        return counters.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        counters.forEach((id, c) -> sb.append(sb.length() > 1 ? ", " : "").append(id.shortId(7)).append('=').append(c));
        return sb.append('}').toString();
    }
}
