package org.savesync.core.fuzz;

import static org.savesync.core.fuzz.ParserTarget.AllocationBound.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.savesync.core.membership.Handover;
import org.savesync.core.membership.InvalidMemberListException;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.BadSignatureException;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.InvalidEntryException;
import org.savesync.core.replication.SignedEntry;

/**
 * The signed records a peer forwards: member lists, handover records, leave requests and entries. Each parser
 * checks the layout first, then the signature. A mutated record only reaches the parser's
 * accepting end when it is signed again, so the input's first byte says how to sign the rest:
 * <ul>
 *   <li>{@code mode % 3 == 0}: signed by {@link FixedKey#AUTHORITY}, the signer the seeds name, so
 *       layout mutations that keep the signer are accepted and must round-trip byte for byte
 *       (the layouts have exactly one encoding per value);</li>
 *   <li>{@code 1}: 64 zero bytes, a well-formed signature that never verifies;</li>
 *   <li>{@code 2}: {@code mode / 3} bytes, mostly not a signature's length.</li>
 * </ul>
 */
final class SignedRecordTargets {
    /**
     * The layouts are read field by field into small objects; 32 bytes per input byte covers
     * that and the copies. The fixed part covers Ed25519 verification (Bouncy Castle works in
     * fixed-size arrays) and the signing the harness itself does.
     */
    private static final ParserTarget.AllocationBound BOUND = linear(32, 128 * 1024);

    private SignedRecordTargets() {
    }

    static ParserTarget memberList() {
        return new ParserTarget(4, "SignedMemberList.parse", List.of(InvalidMemberListException.class), BOUND, input -> {
            SignedRecord r = signed(input);
            SignedMemberList list = SignedMemberList.parse(r.signedBytes(), r.signature());
            sameBytes("member list", r.signedBytes(), list.list().canonicalBytes());
            sameBytes("member list's kept bytes", r.signedBytes(), list.signedBytes());
        }, () -> seeds(List.of(Samples.memberList().canonicalBytes(), Samples.initialList().canonicalBytes())));
    }

    static ParserTarget handover() {
        return new ParserTarget(5, "Handover.verify", List.of(InvalidMemberListException.class), BOUND, input -> {
            Handover h = Handover.verify(signed(input));
            sameBytes("handover", signed(input).signedBytes(), h.canonicalBytes());
        }, () -> seeds(List.of(Samples.handover().canonicalBytes())));
    }

    static ParserTarget leave() {
        return new ParserTarget(15, "Leave.verify", List.of(InvalidMemberListException.class), BOUND, input -> {
            org.savesync.core.membership.Leave l = org.savesync.core.membership.Leave.verify(signed(input));
            sameBytes("leave", signed(input).signedBytes(), l.canonicalBytes());
        }, () -> seeds(List.of(Samples.leave().canonicalBytes())));
    }

    /** {@link SignedEntry#parse}, and {@link SignedEntry#peekSeq} on the same bytes, which must agree with it. */
    static ParserTarget entry() {
        return new ParserTarget(6, "SignedEntry.parse", List.of(InvalidEntryException.class, BadSignatureException.class),
                BOUND, input -> {
                    SignedRecord r = signed(input);
                    OptionalLong peeked = SignedEntry.peekSeq(r.signedBytes());
                    SignedEntry e = SignedEntry.parse(r.signedBytes(), r.signature());
                    sameBytes("entry", r.signedBytes(), e.entry().canonicalBytes());
                    if (peeked.isEmpty() || peeked.getAsLong() != e.entry().seq()) {
                        throw new AssertionError("peekSeq says " + peeked + " for an entry with seq " + e.entry().seq());
                    }
                }, () -> seeds(Samples.entries().stream().map(Entry::canonicalBytes).toList()));
    }

    /** The record the input describes (see the class comment). */
    static SignedRecord signed(byte[] input) {
        if (input.length == 0) {
            return new SignedRecord(new byte[0], new byte[0]);
        }
        int mode = input[0] & 0xff;
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        byte[] sig = switch (mode % 3) {
            case 0 -> FixedKey.AUTHORITY.sign(bytes);
            case 1 -> new byte[SignedEntry.SIGNATURE_LENGTH];
            default -> new byte[mode / 3];
        };
        return new SignedRecord(bytes, sig);
    }

    private static void sameBytes(String what, byte[] received, byte[] again) {
        if (!Arrays.equals(received, again)) {
            throw new AssertionError("the " + what + " was accepted but re-encodes to other bytes ("
                    + received.length + " received, " + again.length + " re-encoded)");
        }
    }

    private static List<byte[]> seeds(List<byte[]> canonical) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] c : canonical) {
            for (int mode : new int[] {0, 1, 2 + 3 * 63}) {
                byte[] in = new byte[c.length + 1];
                in[0] = (byte) mode;
                System.arraycopy(c, 0, in, 1, c.length);
                out.add(in);
            }
        }
        return out;
    }
}
