package org.savesync.core.engine;

import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/**
 * A member taken off a group's list by its authority ({@link SyncEngine#removeMember}).
 *
 * @param group       the group
 * @param node        the member removed
 * @param name        its name on the list
 * @param listVersion the version of the signed list without it
 * @param secretEpoch the epoch of the group secret rotated with it, which the removed node never gets
 */
public record Removal(GroupId group, NodeId node, String name, long listVersion, long secretEpoch) {
}
