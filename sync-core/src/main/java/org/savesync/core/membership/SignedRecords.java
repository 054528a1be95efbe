package org.savesync.core.membership;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.savesync.core.encoding.ByteReader;
import org.savesync.core.identity.NodeId;
import org.savesync.core.protocol.SignedRecord;

/**
 * The reading of the small signed records of this package ({@link Leave}, {@link Handover}):
 * a domain tag, fixed fields, nothing after them, and an Ed25519 signature of one named node.
 * Every way such bytes can be wrong ends in an {@link InvalidMemberListException} with its
 * reason, never another exception.
 */
final class SignedRecords {
    private SignedRecords() {
    }

    /**
     * Reads a record of {@code bytes}: the domain {@code tag} (with its terminating zero byte),
     * then {@code fields}, then the end.
     *
     * @param what names the record in messages ("leave", "handover")
     */
    static <T> T parse(byte[] bytes, byte[] tag, String what, Function<ByteReader, T> fields) {
        try {
            ByteReader r = new ByteReader(bytes);
            if (!Arrays.equals(r.raw(tag.length, "domain tag"), tag)) {
                throw new InvalidMemberListException(what, InvalidMemberListException.Reason.UNSUPPORTED_FORMAT,
                        "not a " + new String(tag, 0, tag.length - 1, StandardCharsets.US_ASCII) + " record");
            }
            T t = fields.apply(r);
            r.expectEnd(what);
            return t;
        } catch (ByteReader.Malformed e) {
            throw new InvalidMemberListException(what, InvalidMemberListException.Reason.MALFORMED, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidMemberListException(what, InvalidMemberListException.Reason.INVALID_FIELD, e.getMessage());
        }
    }

    /**
     * Checks that {@code signed} carries {@code signer}'s signature over its bytes.
     *
     * @param what  the record's kind ("leave", "handover")
     * @param whose says which record it is in the message ("the leave of group G")
     */
    static void checkSignedBy(SignedRecord signed, NodeId signer, String what, String whose) {
        if (signed.signature().length != SignedMemberList.SIGNATURE_LENGTH
                || !signer.verify(signed.signedBytes(), signed.signature())) {
            throw new InvalidMemberListException(what, InvalidMemberListException.Reason.BAD_SIGNATURE,
                    whose + " is not signed by " + signer);
        }
    }
}
