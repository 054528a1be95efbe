/**
 * The hub's PostgreSQL, opened before Quarkus starts: an external server ({@code SYNC_DB_URL})
 * or an embedded one that the hub runs itself under {@code DATA_DIR/postgres}, recovered
 * after the hub was killed.
 */
package org.savesync.server.db;
