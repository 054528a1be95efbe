/**
 * Backups: the versions the hub keeps of each group's paths, and retention, which applies each
 * group's {@link org.savesync.server.admin.RetentionPolicy} to them ({@link RetentionJob}).
 * What a version is and how the versions of a path are ordered: {@link
 * org.savesync.server.persistence.StoredVersion}.
 */
package org.savesync.server.backup;
