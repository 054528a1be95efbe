/**
 * The peer engine: {@link org.savesync.core.engine.SyncEngine} runs the member protocol
 * over a {@link org.savesync.core.engine.Network} (QUIC in production, a simulated one in
 * tests) and keeps one {@link org.savesync.core.engine.GroupReplica} per group, which
 * publishes local changes, verifies and stores peers' entries, and materialises the
 * resolved index on disk.
 */
package org.savesync.core.engine;
