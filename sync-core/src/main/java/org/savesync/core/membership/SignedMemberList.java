package org.savesync.core.membership;

import org.savesync.core.encoding.ByteReader;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.InvalidMemberListException.Reason;

/**
 * A member list with its authority's Ed25519 signature over the canonical bytes (layout in
 * {@link MemberList}). Only made by {@link #sign} or {@link #parse}, so every instance is
 * verified. The exact signed bytes are kept and forwarded verbatim.
 */
public final class SignedMemberList {
    public static final int SIGNATURE_LENGTH = 64;

    private final MemberList list;
    private final byte[] signedBytes;
    private final byte[] signature;

    private SignedMemberList(MemberList list, byte[] signedBytes, byte[] signature) {
        this.list = list;
        this.signedBytes = signedBytes;
        this.signature = signature;
    }

    /** Signs {@code list}; {@code authorityKey} must be the key of {@code list.authority()}. */
    public static SignedMemberList sign(MemberList list, NodeKey authorityKey) {
        Objects.requireNonNull(list, "list");
        if (!authorityKey.nodeId().equals(list.authority())) {
            throw new WrongAuthorityKeyException(list.authority(), authorityKey.nodeId());
        }
        byte[] bytes = list.canonicalBytes();
        return new SignedMemberList(list, bytes, authorityKey.sign(bytes));
    }

    /**
     * Parses received bytes strictly and verifies the signature against the authority named
     * inside. Whether that authority is the right one for the group is {@link MembershipView}'s job.
     *
     * @throws InvalidMemberListException when anything is wrong, with the reason
     */
    public static SignedMemberList parse(byte[] signedBytes, byte[] signature) {
        Objects.requireNonNull(signedBytes, "signedBytes");
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            throw new InvalidMemberListException(Reason.BAD_SIGNATURE, "a signature is " + SIGNATURE_LENGTH
                    + " bytes, got " + (signature == null ? "none" : signature.length));
        }
        byte[] bytes = signedBytes.clone();
        MemberList list = decode(bytes);
        if (!list.authority().verify(bytes, signature)) {
            throw new InvalidMemberListException(Reason.BAD_SIGNATURE, "version " + list.version() + " of group "
                    + list.group() + " is not signed by its authority " + list.authority());
        }
        return new SignedMemberList(list, bytes, signature.clone());
    }

    private static MemberList decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        try {
            byte[] tag = r.raw(MemberList.TAG.length, "domain tag");
            if (!Arrays.equals(tag, MemberList.TAG)) {
                throw new InvalidMemberListException(Reason.UNSUPPORTED_FORMAT, "domain tag is '"
                        + HexFormat.of().formatHex(tag) + "' (hex), expected 'savesync/members/v1'");
            }
            GroupId group = GroupId.of(r.raw(GroupId.LENGTH, "group id"));
            long version = r.u64("version");
            NodeId authority = NodeId.of(r.raw(NodeId.LENGTH, "authority"));
            long issuedAt = r.u64("issuedAtMillis");
            int count = r.u16("member count");
            if (count > MemberList.MAX_MEMBERS) {
                throw new InvalidMemberListException(Reason.INVALID_FIELD, "a member list has 1.."
                        + MemberList.MAX_MEMBERS + " members, got " + count);
            }
            List<Member> members = new ArrayList<>(Math.min(count, r.remaining() / 75 + 1));
            NodeId previous = null;
            for (int i = 0; i < count; i++) {
                NodeId id = NodeId.of(r.raw(NodeId.LENGTH, "member " + i + " id"));
                int roleCode = r.u8("member " + i + " role");
                long addedAt = r.u64("member " + i + " addedAtMillis");
                NodeId addedBy = NodeId.of(r.raw(NodeId.LENGTH, "member " + i + " addedBy"));
                String name = r.str16("member " + i + " name");
                if (previous != null) {
                    int c = previous.compareTo(id);
                    if (c == 0) {
                        throw new InvalidMemberListException(Reason.DUPLICATE_MEMBER, "node " + id + " is listed twice");
                    }
                    if (c > 0) {
                        throw new InvalidMemberListException(Reason.NOT_CANONICAL,
                                "members are not in ascending node id order at member " + i);
                    }
                }
                previous = id;
                Role role;
                try {
                    role = Role.fromCode(roleCode);
                } catch (IllegalArgumentException e) {
                    throw new InvalidMemberListException(Reason.UNKNOWN_ROLE, "member " + id + ": " + e.getMessage());
                }
                members.add(newMember(id, name, role, addedAt, addedBy));
            }
            r.expectEnd("member list");
            try {
                return new MemberList(group, version, authority, issuedAt, members);
            } catch (IllegalArgumentException e) {
                throw new InvalidMemberListException(Reason.INVALID_FIELD, e.getMessage());
            }
        } catch (ByteReader.Malformed e) {
            throw new InvalidMemberListException(Reason.MALFORMED, e.getMessage());
        }
    }

    private static Member newMember(NodeId id, String name, Role role, long addedAt, NodeId addedBy) {
        try {
            return new Member(id, name, role, addedAt, addedBy);
        } catch (IllegalArgumentException e) {
            throw new InvalidMemberListException(Reason.INVALID_FIELD, "member " + id + ": " + e.getMessage());
        }
    }

    public MemberList list() {
        return list;
    }

    /** The exact bytes the signature covers (a copy): forward these, never a re-encoding. */
    public byte[] signedBytes() {
        return signedBytes.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    public GroupId group() {
        return list.group();
    }

    public long version() {
        return list.version();
    }

    public NodeId authority() {
        return list.authority();
    }

    public boolean isMember(NodeId id) {
        return list.isMember(id);
    }

    public boolean canWrite(NodeId id) {
        return list.canWrite(id);
    }

    /** Same signed bytes and signature. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SignedMemberList s && Arrays.equals(signedBytes, s.signedBytes)
                && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signedBytes);
    }

    @Override
    public String toString() {
        return "SignedMemberList[group=" + list.group() + ", version=" + list.version() + ", authority="
                + list.authority().shortId(7) + ", members=" + list.members().size() + "]";
    }
}
