package org.savesync.core.membership;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.savesync.core.encoding.ByteWriter;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.protocol.SignedRecord;

/**
 * The record with which a group's authority hands the group to another node (its creator to
 * a hub, when the group is registered there). Signed by {@code from}; members that hold a
 * list signed by {@code from} accept lists signed by {@code to} once they have verified it,
 * so there is always exactly one signer and list versions cannot fork.
 *
 * <h2>Canonical signed bytes</h2>
 * Protocol constant; integers big-endian:
 * <pre>
 * offset size  field
 *      0   21  domain tag: "savesync/handover/v1" (20 ASCII bytes) then 0x00
 *     21   16  group id
 *     37   32  from: the authority handing over (raw Ed25519 public key)
 *     69   32  to: the new authority
 *    101    8  u64 fromVersion: the newest member-list version {@code from} signed (≥ 1)
 *    109    8  u64 issuedAtMillis, ms since the Unix epoch
 * </pre>
 * Nothing follows. The new authority's first list must have a version above {@code fromVersion}.
 */
public record Handover(GroupId group, NodeId from, NodeId to, long fromVersion, long issuedAtMillis) {
    static final byte[] TAG = "savesync/handover/v1\0".getBytes(StandardCharsets.US_ASCII);

    public Handover {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to)) {
            throw new IllegalArgumentException("a handover names a new authority, got " + to + " twice");
        }
        if (fromVersion < 1 || issuedAtMillis < 0) {
            throw new IllegalArgumentException("handover fromVersion must be >= 1 and issuedAtMillis >= 0");
        }
    }

    public byte[] canonicalBytes() {
        return new ByteWriter().raw(TAG).raw(group.bytes()).raw(from.bytes()).raw(to.bytes()).u64(fromVersion)
                .u64(issuedAtMillis).toByteArray();
    }

    /** Signs this handover with {@code fromKey}, which must be the key of {@link #from}. */
    public SignedRecord sign(NodeKey fromKey) {
        if (!fromKey.nodeId().equals(from)) {
            throw new WrongAuthorityKeyException(from, fromKey.nodeId());
        }
        byte[] bytes = canonicalBytes();
        return new SignedRecord(bytes, fromKey.sign(bytes));
    }

    /**
     * Parses and verifies a handover record: layout, then {@code from}'s signature.
     *
     * @throws InvalidMemberListException with the reason when anything is wrong
     */
    public static Handover verify(SignedRecord record) {
        Objects.requireNonNull(record, "record");
        Handover h = SignedRecords.parse(record.signedBytes(), TAG, "handover", r -> new Handover(
                GroupId.of(r.raw(GroupId.LENGTH, "group id")), NodeId.of(r.raw(NodeId.LENGTH, "from")),
                NodeId.of(r.raw(NodeId.LENGTH, "to")), r.u64("fromVersion"), r.u64("issuedAtMillis")));
        SignedRecords.checkSignedBy(record, h.from, "handover", "the handover of group " + h.group);
        return h;
    }
}
