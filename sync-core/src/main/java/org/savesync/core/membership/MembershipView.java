package org.savesync.core.membership;

import java.util.Arrays;
import java.util.Objects;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.MemberListRejectedException.Reason;

/**
 * The newest verified member list a peer holds for one group, and the rule for replacing it:
 * a list offered later is taken only when it is for the same group, signed by the same
 * authority, and has a higher version. Peers accept group traffic only from the members of
 * {@link #current()}.
 *
 * <p>The authority is fixed here. Registering a group with a hub will add a signed handover
 * record (creator → hub) after which the hub's lists are accepted instead; that record is
 * not built yet, and this class is where it will be checked.
 *
 * <p>Immutable: {@link #accept} returns the new view; the owner keeps it in one place
 * (e.g. an {@code AtomicReference}) and swaps it.
 */
public final class MembershipView {
    private final SignedMemberList current;

    private MembershipView(SignedMemberList current) {
        this.current = current;
    }

    /** Starts from a list the caller has reason to trust (the one it created, or the one it joined with). */
    public static MembershipView of(SignedMemberList trusted) {
        return new MembershipView(Objects.requireNonNull(trusted, "trusted"));
    }

    public SignedMemberList current() {
        return current;
    }

    public GroupId group() {
        return current.group();
    }

    public NodeId authority() {
        return current.authority();
    }

    public long version() {
        return current.version();
    }

    public boolean isMember(NodeId id) {
        return current.isMember(id);
    }

    public boolean canWrite(NodeId id) {
        return current.canWrite(id);
    }

    /** True when {@link #accept} would take {@code offered}. */
    public boolean isNewer(SignedMemberList offered) {
        try {
            accept(offered);
            return true;
        } catch (MemberListRejectedException e) {
            return false;
        }
    }

    /**
     * The view holding {@code offered}, when it may replace the current list.
     *
     * @throws MemberListRejectedException with the reason otherwise
     */
    public MembershipView accept(SignedMemberList offered) {
        MemberList held = current.list();
        MemberList next = offered.list();
        if (!next.group().equals(held.group())) {
            throw new MemberListRejectedException(Reason.WRONG_GROUP, held.group(), held.version(), next.version(),
                    "it is for group " + next.group());
        }
        if (!next.authority().equals(held.authority())) {
            throw new MemberListRejectedException(Reason.WRONG_AUTHORITY, held.group(), held.version(), next.version(),
                    "signed by " + next.authority() + " but the group's authority is " + held.authority());
        }
        if (next.version() == held.version() && !Arrays.equals(offered.signedBytes(), current.signedBytes())) {
            throw new MemberListRejectedException(Reason.FORKED, held.group(), held.version(), next.version(),
                    "the authority signed two different lists with the same version; report this to the group's owner");
        }
        if (next.version() <= held.version()) {
            throw new MemberListRejectedException(Reason.STALE, held.group(), held.version(), next.version(),
                    "not newer than the list already held");
        }
        return new MembershipView(offered);
    }
}
