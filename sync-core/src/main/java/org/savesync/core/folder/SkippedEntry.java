package org.savesync.core.folder;

import java.util.Objects;

/**
 * Something in the folder that a scan saw but cannot sync. It is not a deletion: the engine must
 * not treat this path, or anything under it, as gone (see {@link ScanResult#isCoveredBySkipped}).
 *
 * @param rawPath the path as far as it can be decoded: the NFC path of its parent directory, a
 *                {@code '/'}, then the entry's own name exactly as read from disk (undecodable bytes
 *                shown as U+FFFD)
 * @param reason  why it is skipped
 * @param detail  a sentence for the user saying what is wrong and what to do
 */
public record SkippedEntry(String rawPath, Reason reason, String detail) {

    /** Why an entry cannot be synced. */
    public enum Reason {
        /** The name is not valid UTF-8 (it does not survive decoding and re-encoding). */
        UNREPRESENTABLE_NAME,
        /** The name holds a character SaveSync refuses: a backslash or a control character. */
        UNSUPPORTED_NAME,
        /** Another entry in the same directory has the same name after NFC normalisation. */
        NAME_COLLISION,
        /** A symlink whose target text is not valid UTF-8 or holds a control character. */
        UNREPRESENTABLE_SYMLINK_TARGET,
        /** A fifo, socket or device. */
        SPECIAL_FILE,
        /** Permission denied while reading the entry or listing the directory's contents. */
        UNREADABLE
    }

    public SkippedEntry {
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return reason + " " + rawPath + ": " + detail;
    }
}
