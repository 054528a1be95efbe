/**
 * The hub's live events (joins, leaves, removals, registrations, enrollments, conflicts, content
 * stored): an in-process bus that the engine and the admin services publish to and that
 * {@code GroupAdmin.WatchEvents} streams follow, each through a bounded queue.
 */
package org.savesync.server.events;
