/**
 * The synced folder on the local disk: {@link org.savesync.core.folder.FolderScanner} reads it
 * (never following a symlink) into {@link org.savesync.core.folder.LocalFile}s, and
 * {@link org.savesync.core.folder.SafeFolder} is the only code that writes into it — through a
 * temporary file, an fsync and an atomic rename, never through a symlink, never outside the folder.
 *
 * <p>Paths crossing this package's API are the engine's: relative, {@code '/'}-separated,
 * NFC-normalised strings. The reserved top-level {@code .savesync/} directory holds temporary files
 * and is invisible to scans.
 */
package org.savesync.core.folder;
