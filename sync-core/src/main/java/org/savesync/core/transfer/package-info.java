/**
 * Moving file content between peers: serving chunks from the files in the folder
 * ({@link org.savesync.core.transfer.ChunkServer}, found through the
 * {@link org.savesync.core.transfer.ChunkIndex}), fetching chunk lists and verified chunks
 * ({@link org.savesync.core.transfer.ChunkListFetch}, {@link org.savesync.core.transfer.ChunkReceiver};
 * also used by the hub's blob fetches) and assembling files from them into resumable temp files
 * ({@link org.savesync.core.transfer.Transfer}, {@link org.savesync.core.transfer.PartFile}).
 */
package org.savesync.core.transfer;
