package org.savesync.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.MemberListRejectedException.Reason;
import org.junit.jupiter.api.Test;

class MembershipViewTest {
    private static final NodeKey OWNER = NodeKey.generate();
    private static final NodeKey BOB = NodeKey.generate();
    private static final GroupId GROUP = GroupId.random();

    private static final MemberList V1 = MemberList.initial(GROUP,
            new Member(OWNER.nodeId(), "owner", Role.OWNER, 1, OWNER.nodeId()), 1);
    private static final MemberList V2 = V1.withMember(new Member(BOB.nodeId(), "bob", Role.MEMBER, 2, OWNER.nodeId()), 2);

    @Test
    void acceptsAHigherVersionFromTheSameAuthority() {
        MembershipView view = MembershipView.of(SignedMemberList.sign(V1, OWNER));
        assertThat(view.isMember(BOB.nodeId())).isFalse();
        SignedMemberList v2 = SignedMemberList.sign(V2, OWNER);
        assertThat(view.isNewer(v2)).isTrue();
        MembershipView next = view.accept(v2);
        assertThat(next.version()).isEqualTo(2);
        assertThat(next.isMember(BOB.nodeId())).isTrue();
        assertThat(next.canWrite(BOB.nodeId())).isTrue();
        assertThat(view.version()).as("views are immutable").isEqualTo(1);
    }

    @Test
    void refusesStaleAndRepeatedLists() {
        MembershipView view = MembershipView.of(SignedMemberList.sign(V2, OWNER));
        assertThat(reason(view, SignedMemberList.sign(V1, OWNER))).isEqualTo(Reason.STALE);
        assertThat(reason(view, SignedMemberList.sign(V2, OWNER))).isEqualTo(Reason.STALE);
        assertThat(view.isNewer(SignedMemberList.sign(V2, OWNER))).isFalse();
    }

    @Test
    void refusesAListForAnotherGroup() {
        MembershipView view = MembershipView.of(SignedMemberList.sign(V1, OWNER));
        MemberList other = new MemberList(GroupId.random(), 5, OWNER.nodeId(), 1, V1.members());
        assertThat(reason(view, SignedMemberList.sign(other, OWNER))).isEqualTo(Reason.WRONG_GROUP);
    }

    @Test
    void refusesAListSignedByAnotherAuthority() {
        MembershipView view = MembershipView.of(SignedMemberList.sign(V1, OWNER));
        MemberList hijack = MemberList.initial(GROUP, new Member(BOB.nodeId(), "bob", Role.OWNER, 1, BOB.nodeId()), 1)
                .withMember(new Member(OWNER.nodeId(), "owner", Role.READER, 1, BOB.nodeId()), 9);
        MemberListRejectedException e = catchThrowableOfType(MemberListRejectedException.class,
                () -> view.accept(SignedMemberList.sign(hijack.withMember(
                        new Member(OWNER.nodeId(), "o", Role.READER, 1, BOB.nodeId()), 10), BOB)));
        assertThat(e.reason()).isEqualTo(Reason.WRONG_AUTHORITY);
        assertThat(e.getMessage()).contains(BOB.nodeId().toString());
    }

    @Test
    void reportsAForkWhenTheSameVersionHasDifferentContent() {
        MembershipView view = MembershipView.of(SignedMemberList.sign(V2, OWNER));
        MemberList fork = V1.withMember(new Member(BOB.nodeId(), "bob", Role.READER, 2, OWNER.nodeId()), 2);
        MemberListRejectedException e = catchThrowableOfType(MemberListRejectedException.class,
                () -> view.accept(SignedMemberList.sign(fork, OWNER)));
        assertThat(e.reason()).isEqualTo(Reason.FORKED);
        assertThat(e.heldVersion()).isEqualTo(2);
        assertThat(e.offeredVersion()).isEqualTo(2);
    }

    private static Reason reason(MembershipView view, SignedMemberList offered) {
        return catchThrowableOfType(MemberListRejectedException.class, () -> view.accept(offered)).reason();
    }
}
