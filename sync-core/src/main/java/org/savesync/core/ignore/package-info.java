/**
 * Which paths of a folder are not synced: {@link org.savesync.core.ignore.IgnoreRules} matches
 * gitignore-style patterns, and {@link org.savesync.core.ignore.IgnoreFile} reads them from the
 * folder's root {@code .savesyncignore}, a per-device file that is never synced itself (like
 * Syncthing's {@code .stignore}).
 */
package org.savesync.core.ignore;
