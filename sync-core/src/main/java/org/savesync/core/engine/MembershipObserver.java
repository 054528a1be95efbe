package org.savesync.core.engine;

import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Member;

/**
 * Told of every membership change this node, as a group's authority, makes: for an audit log
 * (the hub's). Called on the engine thread after the new member list is signed and stored:
 * keep it short and never block (hand the event to another thread). An exception it throws is
 * logged and does not undo the change.
 */
public interface MembershipObserver {
    /** Does nothing. */
    MembershipObserver NONE = new MembershipObserver() {
    };

    /** {@code member} joined {@code group} with an invite. */
    default void joined(GroupId group, Member member) {
    }

    /** {@code member} left {@code group} of its own accord. */
    default void left(GroupId group, Member member) {
    }

    /** {@code member} was removed from {@code group} by this node, its authority. */
    default void removed(GroupId group, Member member) {
    }
}
