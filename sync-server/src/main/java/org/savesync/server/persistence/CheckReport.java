package org.savesync.server.persistence;

import java.util.List;

/**
 * What {@link ReplicaCheck} found. Each kind of damage has a count and up to
 * {@link Finding#MAX_EXAMPLES} examples ({@code "<chunk hash>: <what is wrong>"}).
 *
 * @param chunksChecked chunk files read and re-hashed
 * @param bytesChecked  bytes read
 * @param truncated     chunk files whose length differs from their catalog row or a chunk list
 * @param corrupt       chunk files of the right length whose bytes do not hash to their name
 * @param missing       chunks of a blob marked complete that are not in the store
 * @param unreferenced  stored chunks that no chunk list of any group names (garbage, not damage)
 * @param unrecorded    chunk files without a catalog row
 */
public record CheckReport(long chunksChecked, long bytesChecked, Finding truncated, Finding corrupt, Finding missing,
                          Finding unreferenced, Finding unrecorded) {

    /** True when nothing at all was found. */
    public boolean ok() {
        return truncated.count() == 0 && corrupt.count() == 0 && missing.count() == 0 && unreferenced.count() == 0
                && unrecorded.count() == 0;
    }

    /** How many chunks show one kind of damage, with the first few as examples. */
    public record Finding(long count, List<String> examples) {
        public static final int MAX_EXAMPLES = 20;

        public Finding {
            examples = List.copyOf(examples);
        }
    }
}
