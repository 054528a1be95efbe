package org.savesync.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.protocol.SignedRecord;

/** The signed leave record: what verifies, and the reason for each way it can be wrong. */
class LeaveRecordTest {
    private static final NodeKey MEMBER = NodeKey.generate();
    private static final NodeKey OTHER = NodeKey.generate();
    private static final GroupId GROUP = GroupId.random();

    private static InvalidMemberListException refusal(SignedRecord r) {
        return catchThrowableOfType(InvalidMemberListException.class, () -> Leave.verify(r));
    }

    @Test
    void signedByItsMemberAndVerifiedBack() {
        Leave l = new Leave(GROUP, MEMBER.nodeId(), 1_700_000_000_000L);
        SignedRecord r = l.sign(MEMBER);
        assertThat(Leave.verify(r)).isEqualTo(l);
        assertThat(Leave.parse(r.signedBytes())).isEqualTo(l);
    }

    @Test
    void eachWayItCanBeWrongHasItsReason() {
        Leave l = new Leave(GROUP, MEMBER.nodeId(), 5);
        SignedRecord r = l.sign(MEMBER);
        byte[] bytes = r.signedBytes();

        assertThat(refusal(new SignedRecord(bytes, OTHER.sign(bytes)))).satisfies(e -> {
            assertThat(e.reason()).isEqualTo(InvalidMemberListException.Reason.BAD_SIGNATURE);
            assertThat(e).hasMessageContaining("the leave of group " + GROUP + " is not signed by " + MEMBER.nodeId());
        });
        assertThat(refusal(new SignedRecord(bytes, Arrays.copyOf(r.signature(), 10))).reason())
                .as("a short signature").isEqualTo(InvalidMemberListException.Reason.BAD_SIGNATURE);
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] shorter = Arrays.copyOf(bytes, cut);
            assertThat(refusal(new SignedRecord(shorter, MEMBER.sign(shorter))).reason()).as("cut at %d", cut)
                    .isIn(InvalidMemberListException.Reason.MALFORMED, InvalidMemberListException.Reason.UNSUPPORTED_FORMAT);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThat(refusal(new SignedRecord(longer, MEMBER.sign(longer))))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(InvalidMemberListException.Reason.MALFORMED))
                .hasMessageStartingWith("leave refused (MALFORMED): ").hasMessageContaining("corrupt or forged leave");
        byte[] handover = new Handover(GROUP, MEMBER.nodeId(), OTHER.nodeId(), 1, 0).canonicalBytes();
        assertThat(refusal(new SignedRecord(handover, MEMBER.sign(handover))))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(InvalidMemberListException.Reason.UNSUPPORTED_FORMAT))
                .hasMessageContaining("not a savesync/leave/v1 record");
    }
}
