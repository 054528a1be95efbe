package org.savesync.server.service;

import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/** What the running hub knows about its peers right now, for the admin API. */
public interface Presence {
    /** The node has a live connection to the hub. */
    boolean online(NodeId node);

    /** The node's last reported knowledge of the group covers everything the hub holds. */
    boolean upToDate(GroupId group, NodeId node);
}
