package org.savesync.server.admin;

import java.time.Instant;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/**
 * One change recorded in the audit log.
 *
 * @param id         increases with every event (the log's order and paging cursor)
 * @param actor      who made the change ({@link Actor})
 * @param action     what was done, e.g. {@code retention.set}
 * @param group      the group concerned, or null
 * @param node       the node concerned, or null
 * @param beforeJson the state before the change as JSON, or null when there was none
 * @param afterJson  the state after the change as JSON, or null when there is none
 */
public record AuditEvent(long id, Instant at, String actor, String action, GroupId group, NodeId node,
                         String beforeJson, String afterJson) {
}
