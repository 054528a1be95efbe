package org.savesync.server.admin;

/**
 * One group as the hub holds it.
 *
 * @param entries         entries held now (the newest of each author and path)
 * @param files           current files (deleted ones, directories and symlinks not counted)
 * @param bytes           size of the current files
 * @param bytesStored     bytes of the group's chunks in the chunk store (every version it holds)
 * @param filesComplete   current files whose every chunk the hub holds
 * @param filesIncomplete current files the hub is still fetching
 */
public record GroupSummary(String id, String name, String authority, int members, long memberListVersion,
                           long entries, long files, long bytes, long bytesStored, long filesComplete,
                           long filesIncomplete) {
}
