// PLACEHOLDER: replaced by the persistence branch
/** The hub's storage: group indexes and node registry in PostgreSQL, chunks in a content-addressed store. */
package org.savesync.server.persistence;
