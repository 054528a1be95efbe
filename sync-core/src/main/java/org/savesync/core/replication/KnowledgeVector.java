package org.savesync.core.replication;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.savesync.core.identity.NodeId;

/**
 * What a peer has received of a group: {@code author → highest seq received}. Peers exchange
 * it so each can send the other, per author and in seq order, the entries with a higher seq.
 * Not to be confused with a path's {@link VersionVector}. Absent authors count 0. Immutable.
 */
public final class KnowledgeVector {
    public static final KnowledgeVector EMPTY = new KnowledgeVector(new TreeMap<>());

    private final NavigableMap<NodeId, Long> highest;

    private KnowledgeVector(TreeMap<NodeId, Long> highest) {
        this.highest = Collections.unmodifiableNavigableMap(highest);
    }

    /** A vector with these highest seqs; every seq must be ≥ 1. */
    public static KnowledgeVector of(Map<NodeId, Long> highest) {
        TreeMap<NodeId, Long> m = new TreeMap<>();
        highest.forEach((id, s) -> {
            Objects.requireNonNull(id, "node id");
            if (s == null || s < 1) {
                throw new IllegalArgumentException("a knowledge vector seq is >= 1, got " + s + " for " + id);
            }
            m.put(id, s);
        });
        return new KnowledgeVector(m);
    }

    /** Highest seq received from {@code author}, 0 when none. */
    public long get(NodeId author) {
        return highest.getOrDefault(author, 0L);
    }

    /** This vector knowing {@code author}'s entries up to {@code seq}; never lowers what is known. */
    public KnowledgeVector with(NodeId author, long seq) {
        Objects.requireNonNull(author, "author");
        if (seq < 0) {
            throw new IllegalArgumentException("a seq is >= 0, got " + seq);
        }
        if (seq <= get(author)) {
            return this;
        }
        TreeMap<NodeId, Long> m = new TreeMap<>(highest);
        m.put(author, seq);
        return new KnowledgeVector(m);
    }

    /** The pointwise maximum. */
    public KnowledgeVector merge(KnowledgeVector other) {
        TreeMap<NodeId, Long> m = new TreeMap<>(highest);
        other.highest.forEach((id, s) -> m.merge(id, s, Math::max));
        return new KnowledgeVector(m);
    }

    /** Highest seqs by author, sorted by node id (unmodifiable). */
    public NavigableMap<NodeId, Long> highest() {
        return highest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KnowledgeVector k && highest.equals(k.highest);
    }

    @Override
    public int hashCode() {
        return highest.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        highest.forEach((id, s) -> sb.append(sb.length() > 1 ? ", " : "").append(id.shortId(7)).append('=').append(s));
        return sb.append('}').toString();
    }
}
