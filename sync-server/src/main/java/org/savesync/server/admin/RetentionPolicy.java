package org.savesync.server.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.savesync.core.membership.GroupId;

/**
 * How much history the hub keeps of one group: the last {@code keepVersions} versions of each
 * path (the current one included), replaced and deleted versions for {@code keepDays} days, and
 * at most {@code quotaBytes} in the chunk store (0: no quota).
 *
 * <p>A group without a policy of its own has {@link #defaults}: version 0, no {@code updatedBy}
 * and {@code updatedAt}. A stored policy has version 1 after its first Set and one more after
 * each Set after that.
 *
 * @param version   0 for the defaults, else 1, 2, ... (one more on each Set)
 * @param updatedBy the {@link Actor} of the last Set; null for the defaults
 * @param updatedAt when it was last set; null for the defaults
 */
public record RetentionPolicy(GroupId group, int keepVersions, int keepDays, long quotaBytes, long version,
                              String updatedBy, Instant updatedAt) {
    public static final int MIN_KEEP_VERSIONS = 1;
    public static final int MAX_KEEP_VERSIONS = 1000;
    public static final int DEFAULT_KEEP_VERSIONS = 10;
    public static final int MIN_KEEP_DAYS = 0;
    /** 100 years. */
    public static final int MAX_KEEP_DAYS = 36_500;
    public static final int DEFAULT_KEEP_DAYS = 30;
    public static final long MIN_QUOTA_BYTES = 0;
    /** 1 PiB. */
    public static final long MAX_QUOTA_BYTES = 1L << 50;
    /** No quota. */
    public static final long DEFAULT_QUOTA_BYTES = 0;

    /** The policy of a group that has none of its own. */
    public static RetentionPolicy defaults(GroupId group) {
        return new RetentionPolicy(group, DEFAULT_KEEP_VERSIONS, DEFAULT_KEEP_DAYS, DEFAULT_QUOTA_BYTES, 0, null, null);
    }

    /** Whether these are the defaults of a group without a policy of its own. */
    public boolean isDefault() {
        return version == 0;
    }

    /** What the audit log records of it (the group is the event's own column). */
    Map<String, Object> auditView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keepVersions", keepVersions);
        m.put("keepDays", keepDays);
        m.put("quotaBytes", quotaBytes);
        m.put("version", version);
        return m;
    }

    /**
     * What a Set asks for: each field null for its default; {@code expectedVersion} null to
     * set whatever the current version is, else the version the caller read (0: none yet).
     * Longs, so that a REST client's too-large number is refused by the range check, with the
     * range, rather than by JSON binding.
     */
    public record Change(Long keepVersions, Long keepDays, Long quotaBytes, Long expectedVersion) {
        /** The values to store, each checked against its range; refuses the first one out of range. */
        Change resolved() {
            long versions = keepVersions == null ? DEFAULT_KEEP_VERSIONS : keepVersions;
            long days = keepDays == null ? DEFAULT_KEEP_DAYS : keepDays;
            long quota = quotaBytes == null ? DEFAULT_QUOTA_BYTES : quotaBytes;
            check("keepVersions", versions, MIN_KEEP_VERSIONS, MAX_KEEP_VERSIONS, "versions kept per path");
            check("keepDays", days, MIN_KEEP_DAYS, MAX_KEEP_DAYS, "days replaced and deleted versions are kept");
            check("quotaBytes", quota, MIN_QUOTA_BYTES, MAX_QUOTA_BYTES, "bytes, 0 for no quota");
            if (expectedVersion != null && expectedVersion < 0) {
                throw AdminException.invalid("expectedVersion", "must be 0 (no policy yet) or a version a Get"
                        + " returned, got " + expectedVersion);
            }
            return new Change(versions, days, quota, expectedVersion);
        }

        private static void check(String field, long value, long min, long max, String meaning) {
            if (value < min || value > max) {
                throw AdminException.invalid(field, "must be between " + min + " and " + max + " (" + meaning
                        + "), got " + value);
            }
        }
    }
}
