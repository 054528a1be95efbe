package org.savesync.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.protocol.SignedRecord;

class HandoverTest {
    private static final NodeKey CREATOR = NodeKey.generate();
    private static final NodeKey HUB = NodeKey.generate();
    private static final GroupId GROUP = GroupId.random();

    @Test
    void signedByTheOldAuthorityAndVerifiedBack() {
        Handover h = new Handover(GROUP, CREATOR.nodeId(), HUB.nodeId(), 3, 1_700_000_000_000L);
        SignedRecord r = h.sign(CREATOR);
        assertThat(r.signedBytes()).hasSize(117);
        assertThat(Handover.verify(r)).isEqualTo(h);
    }

    @Test
    void onlyTheOldAuthorityCanSignIt() {
        Handover h = new Handover(GROUP, CREATOR.nodeId(), HUB.nodeId(), 3, 0);
        assertThatThrownBy(() -> h.sign(HUB)).isInstanceOf(WrongAuthorityKeyException.class);
        SignedRecord byHub = new SignedRecord(h.canonicalBytes(), HUB.sign(h.canonicalBytes()));
        assertThatThrownBy(() -> Handover.verify(byHub)).isInstanceOf(InvalidMemberListException.class)
                .hasMessageContaining("not signed by");
    }

    @Test
    void tamperedTruncatedOrForeignBytesAreRefused() {
        SignedRecord r = new Handover(GROUP, CREATOR.nodeId(), HUB.nodeId(), 1, 0).sign(CREATOR);
        byte[] tampered = r.signedBytes().clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> Handover.verify(new SignedRecord(tampered, r.signature())))
                .hasMessageContaining("not signed by");
        byte[] truncated = java.util.Arrays.copyOf(r.signedBytes(), 100);
        assertThatThrownBy(() -> Handover.verify(new SignedRecord(truncated, r.signature())))
                .isInstanceOf(InvalidMemberListException.class);
        byte[] list = SignedMemberList.sign(MemberList.initial(GROUP,
                new Member(CREATOR.nodeId(), "c", Role.OWNER, 0, CREATOR.nodeId()), 0), CREATOR).signedBytes();
        assertThatThrownBy(() -> Handover.verify(new SignedRecord(list, CREATOR.sign(list))))
                .hasMessageContaining("not a savesync/handover/v1 record");
    }

    @Test
    void aHandoverToItselfOrFromVersionZeroIsInvalid() {
        assertThatThrownBy(() -> new Handover(GROUP, HUB.nodeId(), HUB.nodeId(), 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Handover(GROUP, CREATOR.nodeId(), HUB.nodeId(), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
