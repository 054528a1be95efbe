/**
 * Moving file content between peers: serving chunks from the files in the folder
 * ({@link org.savesync.core.transfer.ChunkServer}, found through the
 * {@link org.savesync.core.transfer.ChunkIndex}) and assembling files from verified
 * chunks into resumable temp files ({@link org.savesync.core.transfer.Transfer}).
 */
package org.savesync.core.transfer;
