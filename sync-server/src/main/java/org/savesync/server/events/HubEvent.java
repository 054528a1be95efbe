package org.savesync.server.events;

import java.time.Instant;
import java.util.Objects;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/**
 * One thing that happened on the hub.
 *
 * @param kind    what happened
 * @param at      when the hub noticed it
 * @param group   the group concerned, or null (an enrollment)
 * @param node    the node concerned (the member, the registering or enrolling node, a conflict's
 *                author), or null
 * @param name    the node's or the group's name where one is known, else null
 * @param path    the file's path (a conflict, stored content), else null
 * @param other   the other side of a conflict, else null
 * @param count   bytes stored (TRANSFER_FINISHED), events lost (EVENTS_DROPPED), else 0
 */
public record HubEvent(Kind kind, Instant at, GroupId group, NodeId node, String name, String path, NodeId other,
                       long count) {
    /** What happened. */
    public enum Kind {
        /** The first event of every subscription: it is in place, nothing after this point is missed. */
        SUBSCRIBED,
        MEMBER_JOINED,
        MEMBER_LEFT,
        MEMBER_REMOVED,
        /** A node handed a group over to the hub (the hub is its authority now). */
        GROUP_REGISTERED,
        /** A node enrolled with the hub's enrollment token. */
        NODE_ENROLLED,
        /** Two members wrote a path without knowing of each other's version; both are kept. */
        CONFLICT,
        /** A file's content is completely stored on the hub. */
        TRANSFER_FINISHED,
        /** The subscriber did not keep up: {@code count} events were dropped before this one. */
        EVENTS_DROPPED,
        /** Nothing happened for a while (the stream's own; never published on the bus). */
        KEEPALIVE
    }

    public HubEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }

    static HubEvent of(Kind kind, GroupId group, NodeId node, String name) {
        return new HubEvent(kind, Instant.now(), group, node, name, null, null, 0);
    }
}
