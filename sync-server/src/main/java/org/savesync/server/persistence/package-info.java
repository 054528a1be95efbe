/**
 * The hub's storage: the replicated index of every group in PostgreSQL ({@link
 * org.savesync.server.persistence.PgStores}, {@link org.savesync.server.persistence.PgIndexStore}),
 * the chunk store with its catalog, the registry of known nodes and the read-only replica check.
 */
package org.savesync.server.persistence;
