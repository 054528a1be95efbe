package org.savesync.core.engine;

import java.util.List;
import org.jboss.logging.Logger;
import org.savesync.core.folder.LocalFile;
import org.savesync.core.folder.ScanFilter;
import org.savesync.core.ignore.IgnoreFile;
import org.savesync.core.ignore.IgnoreProblem;
import org.savesync.core.ignore.IgnoreRules;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.SafePath;

/**
 * What this device leaves out of sync in one group's folder: the root
 * {@value IgnoreFile#NAME} itself (it is per device, like Syncthing's {@code .stignore}) and
 * the paths its patterns ignore. The rules are local only and never change the index:
 * <ul>
 *   <li>scanning, an ignored path is not reported, so it is never published; a path that was
 *       synced and becomes ignored just stops being tracked here (its {@link LocalRecord} is
 *       dropped, no deletion is published), so adding a rule deletes nothing elsewhere;</li>
 *   <li>materialising, the disk at an ignored path is left alone whatever the index says
 *       there (no create, overwrite or delete) and no transfer is started for it, so such
 *       paths are never pending.</li>
 * </ul>
 * Engine thread only.
 */
final class IgnoredPaths {
    private static final Logger LOG = Logger.getLogger(IgnoredPaths.class);

    private final GroupReplica r;
    private final IgnoreFile file;

    IgnoredPaths(GroupReplica r) {
        this.r = r;
        this.file = new IgnoreFile(r.root);
    }

    /** Re-reads the ignore file if its stat changed; true when the rules may differ now. */
    boolean refresh() {
        if (!file.refresh()) {
            return false;
        }
        for (IgnoreProblem p : file.problems()) {
            LOG.warnf("group %s: %s in %s", r.id, p, r.root.resolve(IgnoreFile.NAME));
        }
        return true;
    }

    List<IgnoreProblem> problems() {
        return file.problems();
    }

    /** For the folder scan: what it must neither report nor enter. */
    ScanFilter scanFilter() {
        IgnoreRules rules = file.rules();
        return (path, kind) -> IgnoreFile.isIgnoreFile(path) || rules.isIgnored(path, kind == LocalFile.Kind.DIRECTORY);
    }

    /** A record of something this node tracked at a path it now leaves out. */
    boolean excludes(LocalRecord rec) {
        String p = rec.path().toString();
        return IgnoreFile.isIgnoreFile(p) || file.rules().isIgnored(p, rec.stat().kind() == LocalFile.Kind.DIRECTORY);
    }

    /**
     * Whether the materialiser must leave the disk at {@code p} alone: it is the ignore file,
     * or ignored as what the index would put there ({@code incoming}, null or
     * {@link EntryType#DELETED} when nothing), or ignored as what is on disk there now. The
     * last two differ only for a directory-only pattern (a file named {@code build} is not
     * ignored by {@code build/}), so only then is the disk looked at.
     */
    boolean leavesAlone(SafePath p, EntryType incoming) {
        String s = p.toString();
        if (IgnoreFile.isIgnoreFile(s)) {
            return true;
        }
        IgnoreRules rules = file.rules();
        if (rules.isEmpty()) {
            return false;
        }
        boolean asFile = rules.isIgnored(s, false);
        boolean asDir = rules.isIgnored(s, true);
        if (asFile == asDir) {
            return asFile;
        }
        if (incoming != null && incoming != EntryType.DELETED && (incoming == EntryType.DIRECTORY ? asDir : asFile)) {
            return true;
        }
        return r.statQuietly(p).map(f -> f.isDirectory() ? asDir : asFile).orElse(false);
    }
}
