package org.savesync.core.membership;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.savesync.core.encoding.ByteWriter;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.protocol.SignedRecord;

/**
 * A member's request to be taken off a group's member list, signed by the member, sent to the
 * group's authority. The signature lets the request wait (the leaver keeps it until the
 * authority acknowledges it) and travel without the connection it was made on; the time in it
 * lets the authority ignore a stale request from a member that joined again since.
 *
 * <h2>Canonical signed bytes</h2>
 * Protocol constant; integers big-endian:
 * <pre>
 * offset size  field
 *      0   18  domain tag: "savesync/leave/v1" (17 ASCII bytes) then 0x00
 *     18   16  group id
 *     34   32  member: the node that leaves (raw Ed25519 public key), the signer
 *     66    8  u64 atMillis, ms since the Unix epoch, when it left
 * </pre>
 * Nothing follows (74 bytes); the signature is 64 bytes.
 */
public record Leave(GroupId group, NodeId member, long atMillis) {
    static final byte[] TAG = "savesync/leave/v1\0".getBytes(StandardCharsets.US_ASCII);
    /** Length of the signed bytes. */
    public static final int LENGTH = TAG.length + GroupId.LENGTH + NodeId.LENGTH + 8;

    public Leave {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(member, "member");
        if (atMillis < 0) {
            throw new IllegalArgumentException("atMillis must be >= 0, got " + atMillis);
        }
    }

    public byte[] canonicalBytes() {
        return new ByteWriter().raw(TAG).raw(group.bytes()).raw(member.bytes()).u64(atMillis).toByteArray();
    }

    /** Signs this request with {@code key}, which must be the member's. */
    public SignedRecord sign(NodeKey key) {
        if (!key.nodeId().equals(member)) {
            throw new IllegalArgumentException("a leave of " + member + " is signed by that member, not " + key.nodeId());
        }
        byte[] bytes = canonicalBytes();
        return new SignedRecord(bytes, key.sign(bytes));
    }

    /**
     * Parses and verifies a leave record: layout, then the member's signature.
     *
     * @throws InvalidMemberListException with the reason when anything is wrong
     */
    public static Leave verify(SignedRecord record) {
        Objects.requireNonNull(record, "record");
        Leave l = parse(record.signedBytes());
        SignedRecords.checkSignedBy(record, l.member, "leave", "the leave of group " + l.group);
        return l;
    }

    /**
     * Reads the layout only, without the signature: so that the receiver can check who may send
     * it before it spends a signature check. Use {@link #verify} before acting on it.
     */
    public static Leave parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return SignedRecords.parse(bytes, TAG, "leave", r -> new Leave(GroupId.of(r.raw(GroupId.LENGTH, "group id")),
                NodeId.of(r.raw(NodeId.LENGTH, "member")), r.u64("atMillis")));
    }
}
