package org.savesync.server.service;

import java.util.List;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/** What the running hub knows about its peers right now, for the admin API. */
public interface Presence {
    /** The node has a live connection to the hub. */
    boolean online(NodeId node);

    /** The node's last reported knowledge of the group covers everything the hub holds (always true of the hub itself). */
    boolean upToDate(GroupId group, NodeId node);

    /** The node is the hub itself. */
    boolean self(NodeId node);

    /** Where the hub's QUIC endpoint listens; empty while it is not running. */
    List<String> hubAddresses();
}
