/**
 * Storage of a group's replicated index behind {@link org.savesync.core.index.IndexStore}:
 * the newest signed entry of each (author, path), the knowledge vector, what is on disk
 * ({@link org.savesync.core.index.LocalRecord}) and chunk lists. The agent and the hub
 * persist it differently; {@link org.savesync.core.index.InMemoryIndexStore} is the
 * reference implementation.
 */
package org.savesync.core.index;
