package org.savesync.agent.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.savesync.core.engine.PeerLag;

/**
 * How a group's hub (its member with role hub: the backup and authority) stands, as
 * {@code GET /status} shows it beside each group.
 *
 * @param nodeId             the hub's node id
 * @param state              {@code up-to-date}, {@code behind}, {@code ahead} (it holds changes this node has
 *                           not received yet), {@code comparing} (connected, has not reported yet) or
 *                           {@code offline}
 * @param text               the line {@code savesync status} prints: "hub up to date", "hub is 3 files / 12.0 MB
 *                           behind", "hub offline since 12:31:05 UTC (4 min ago)"
 * @param offlineSinceMillis while offline: when this agent last saw it connected (or started, if never)
 * @param filesBehind        files this node holds that the hub has not reported (at its last report)
 * @param bytesBehind        their sizes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HubBackup(String nodeId, String state, String text, Long offlineSinceMillis, Integer filesBehind,
                        Long bytesBehind) {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    static HubBackup of(String nodeId, boolean connected, Instant offlineSince, Optional<PeerLag> lag, Instant now) {
        Integer files = lag.map(PeerLag::files).orElse(null);
        Long bytes = lag.map(PeerLag::bytes).orElse(null);
        if (!connected) {
            String since = "hub offline since " + CLOCK.format(offlineSince) + " (" + ago(offlineSince, now) + ")";
            String last = lag.filter(l -> !l.inStep()).map(l -> "; it lacks " + lacks(l) + " this node holds").orElse("");
            return new HubBackup(nodeId, "offline", since + last, offlineSince.toEpochMilli(), files, bytes);
        }
        if (lag.isEmpty()) {
            return new HubBackup(nodeId, "comparing", "hub connected; waiting for it to report what it holds", null,
                    null, null);
        }
        PeerLag l = lag.get();
        if (l.entries() > 0) {
            return new HubBackup(nodeId, "behind", "hub is " + behind(l), null, files, bytes);
        }
        if (l.ahead()) {
            return new HubBackup(nodeId, "ahead", "hub holds changes this node is still receiving", null, files, bytes);
        }
        return new HubBackup(nodeId, "up-to-date", "hub up to date", null, files, bytes);
    }

    /** "3 files / 12.0 MB behind", or "5 changes behind" when they are deletions only. */
    static String behind(PeerLag l) {
        String atLeast = l.truncated() ? "at least " : "";
        if (l.files() == 0) {
            return atLeast + l.entries() + " change" + (l.entries() == 1 ? "" : "s") + " behind";
        }
        return atLeast + l.files() + " file" + (l.files() == 1 ? "" : "s") + " / "
                + ProgressReporter.mb(l.bytes()) + " behind";
    }

    /** "2 files / 3.0 MB" (or "5 changes"), what a member or hub has not received. */
    static String lacks(PeerLag l) {
        String b = behind(l);
        return b.substring(0, b.length() - " behind".length());
    }

    static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min ago";
        }
        return s / 3600 + " h ago";
    }
}
