/**
 * Where a full replica (the hub) keeps chunk bytes: a content-addressed store behind
 * {@link org.savesync.core.chunkstore.ChunkStore}, files on disk by default, an
 * S3-compatible object store later.
 */
package org.savesync.core.chunkstore;
