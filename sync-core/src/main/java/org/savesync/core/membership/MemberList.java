package org.savesync.core.membership;

import org.savesync.core.encoding.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.savesync.core.identity.NodeId;

/**
 * One version of a group's member list, as its authority signs it (see {@link SignedMemberList}).
 * Versions count up from 1; the members are kept sorted by node id (raw bytes, unsigned) and
 * each node id appears once. The authority must itself be on the list.
 *
 * <h2>Canonical signed bytes</h2>
 * Protocol constant; all integers big-endian, unsigned unless noted:
 * <pre>
 * offset size  field
 *      0   20  domain tag: "savesync/members/v1" (19 ASCII bytes) then 0x00
 *     20   16  group id
 *     36    8  u64 version (1 .. 2^63-1)
 *     44   32  authority node id (raw Ed25519 public key)
 *     76    8  u64 issuedAtMillis (0 .. 2^63-1), ms since the Unix epoch
 *     84    2  u16 member count (1 .. 10,000: {@link #MAX_MEMBERS})
 *     86       members, strictly ascending by node id (unsigned bytes), each:
 *               32  node id
 *                1  u8 role code (1 OWNER, 2 MEMBER, 3 READER, 4 HUB)
 *                8  u64 addedAtMillis (0 .. 2^63-1)
 *               32  addedBy node id
 *                2  u16 name length n (1 .. 255)
 *                n  name, UTF-8
 * </pre>
 * Nothing follows the last member.
 *
 * @param group          the group this list belongs to
 * @param version        counts up by one with each change (≥ 1)
 * @param authority      the node whose key signs this list
 * @param issuedAtMillis when the authority made this version, ms since the Unix epoch
 * @param members        the members; the canonical constructor sorts a copy and refuses duplicate ids
 */
public record MemberList(GroupId group, long version, NodeId authority, long issuedAtMillis, List<Member> members) {
    /** The domain tag, including its terminating zero byte. */
    static final byte[] TAG = "savesync/members/v1\0".getBytes(StandardCharsets.US_ASCII);
    /**
     * Members in one list. The wire protocol carries every member's knowledge mark and address in
     * one message, bounded by the same number ({@code Protocol.MAX_MEMBERS} is this), so a list the
     * authority can sign is always a list whose members can sync.
     */
    public static final int MAX_MEMBERS = 10_000;

    public MemberList {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(members, "members");
        if (version < 1) {
            throw new IllegalArgumentException("a member list version is >= 1, got " + version);
        }
        if (issuedAtMillis < 0) {
            throw new IllegalArgumentException("issuedAtMillis must be >= 0, got " + issuedAtMillis);
        }
        if (members.isEmpty() || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a member list has 1.." + MAX_MEMBERS + " members, got " + members.size());
        }
        List<Member> sorted = new ArrayList<>(members);
        sorted.forEach(m -> Objects.requireNonNull(m, "member"));
        sorted.sort((a, b) -> a.id().compareTo(b.id()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).id().equals(sorted.get(i).id())) {
                throw new IllegalArgumentException("node " + sorted.get(i).id() + " is on the member list twice");
            }
        }
        members = Collections.unmodifiableList(sorted);
        if (find(members, authority).isEmpty()) {
            throw new IllegalArgumentException("the authority " + authority + " must be on its own member list");
        }
    }

    /** Version 1 of a new group's list: the creator alone, as its authority. */
    public static MemberList initial(GroupId group, Member creator, long issuedAtMillis) {
        return new MemberList(group, 1, creator.id(), issuedAtMillis, List.of(creator));
    }

    public boolean isMember(NodeId id) {
        return member(id).isPresent();
    }

    public Optional<Member> member(NodeId id) {
        return find(members, id);
    }

    /** Whether entries authored by {@code id} are accepted: a member whose role may write. */
    public boolean canWrite(NodeId id) {
        return member(id).map(m -> m.role().canWrite()).orElse(false);
    }

    /** Whether another member can be added ({@link #MAX_MEMBERS}). */
    public boolean full() {
        return members.size() >= MAX_MEMBERS;
    }

    /** The next version with {@code member} added, or replacing the member with the same id (e.g. a role change). */
    public MemberList withMember(Member member, long issuedAtMillis) {
        Objects.requireNonNull(member, "member");
        List<Member> next = new ArrayList<>(members.size() + 1);
        for (Member m : members) {
            if (!m.id().equals(member.id())) {
                next.add(m);
            }
        }
        next.add(member);
        return new MemberList(group, Math.addExact(version, 1), authority, issuedAtMillis, next);
    }

    /** The next version without {@code id}. The authority cannot remove itself: hand over first. */
    public MemberList withoutMember(NodeId id, long issuedAtMillis) {
        if (!isMember(id)) {
            throw new IllegalArgumentException("node " + id + " is not a member of group " + group + "; nothing to remove");
        }
        if (id.equals(authority)) {
            throw new IllegalArgumentException("the authority " + id + " cannot remove itself from group " + group
                    + "; hand the group over to another authority first");
        }
        List<Member> next = new ArrayList<>(members);
        next.removeIf(m -> m.id().equals(id));
        return new MemberList(group, Math.addExact(version, 1), authority, issuedAtMillis, next);
    }

    /** The canonical bytes described in the class comment; what the authority signs. */
    public byte[] canonicalBytes() {
        ByteWriter w = new ByteWriter()
                .raw(TAG)
                .raw(group.bytes())
                .u64(version)
                .raw(authority.bytes())
                .u64(issuedAtMillis)
                .u16(members.size());
        for (Member m : members) {
            w.raw(m.id().bytes()).u8(m.role().code()).u64(m.addedAtMillis()).raw(m.addedBy().bytes()).str16(m.name());
        }
        return w.toByteArray();
    }

    private static Optional<Member> find(List<Member> sorted, NodeId id) {
        int lo = 0;
        int hi = sorted.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = sorted.get(mid).id().compareTo(id);
            if (c == 0) {
                return Optional.of(sorted.get(mid));
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.empty();
    }
}
