package org.savesync.agent.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.engine.Removals;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.membership.GroupId;

/**
 * Works out each group's state for the API and the console: in sync or not, what is left,
 * at what rate, and why. The rate is the node's received bytes (fetched from peers or
 * reused from local copies) per second, smoothed over the last few ticks.
 */
public final class ProgressReporter {
    /** Weight of the newest sample in the smoothed rate. */
    private static final double SMOOTHING = 0.3;

    private final SyncEngine engine;
    private final PrintStream console;
    private final Map<GroupId, Boolean> wasBusy = new HashMap<>();
    private long lastBytes = -1;
    private long lastNanos;
    private volatile double rate;

    private final PeerPresence presence;

    ProgressReporter(SyncEngine engine, PrintStream console) {
        this.engine = engine;
        this.console = console;
        this.presence = new PeerPresence(Instant.now());
    }

    /**
     * What a group is doing, for {@code GET /status}. {@code inSync} only when nothing is left
     * here and every member connected right now reported holding what this node holds;
     * {@code hub} is the group's hub (its member with role hub), null when it has none.
     */
    public record GroupState(String id, String name, String folder, boolean inSync, String state, String reason,
                             int peers, int filesLeft, long bytesLeft, long bytesVerified, double bytesPerSecond,
                             Long etaSeconds, int conflicts, List<String> ignoreProblems,
                             @JsonInclude(JsonInclude.Include.NON_NULL) HubBackup hub) {
    }

    public double rate() {
        return rate;
    }

    public GroupState state(GroupHandle g) {
        Optional<Removals.Removed> removed = g.removed();
        if (removed.isPresent()) {
            return removedState(g, removed.get());
        }
        GroupHandle.Status s = g.status();
        long left = Math.max(0, s.bytesPending() - s.bytesVerified());
        String state;
        String reason;
        if (s.filesPending() > 0 && !s.stalled().isEmpty()) {
            state = "stalled";
            reason = s.stalled();
        } else if (s.filesPending() > 0 && s.peers() == 0) {
            state = "waiting-for-peer";
            reason = s.filesPending() + " file(s) need data and no member is connected";
        } else if (s.filesPending() > 0) {
            state = "transferring";
            reason = "receiving " + s.filesPending() + " file(s) from " + s.peers() + " peer(s)";
        } else if (s.scanning()) {
            state = "scanning";
            reason = "hashing new and changed files";
        } else if (!s.idle()) {
            state = "applying";
            reason = "writing received changes into the folder";
        } else if (s.conflicts() > 0) {
            state = "conflict";
            reason = s.conflicts() + " conflict copy(ies) in the folder: keep the version you want and delete the"
                    + " other to settle";
        } else {
            state = "in-sync";
            reason = s.peers() == 0 ? "up to date with what this node has seen; no member connected" : "up to date";
        }
        Set<NodeId> connected = engine.connectedPeers().stream().map(SyncEngine.PeerLink::node)
                .collect(Collectors.toSet());
        if (state.equals("in-sync")) {
            Optional<String> differ = MemberAgreement.firstDifference(g, connected, engine.nodeId());
            if (differ.isPresent()) {
                state = "members-differ";
                reason = differ.get();
            }
        }
        boolean inSync = state.equals("in-sync");
        double r = s.filesPending() > 0 ? rate : 0;
        Long eta = r > 1 && left > 0 ? (long) Math.ceil(left / r) : null;
        return new GroupState(g.id().toString(), g.name(), g.folder().toString(), inSync, state, reason, s.peers(),
                s.filesPending(), left, s.bytesVerified(), r, eta, s.conflicts(),
                g.ignoreProblems().stream().map(p -> ".savesyncignore line " + p.line() + " ('" + p.pattern()
                        + "') is skipped: " + p.reason()).toList(), hub(g, connected));
    }

    /**
     * A group this node was removed from: state {@code removed}, never in sync, with who removed
     * it, when, and where its files stay.
     */
    private static GroupState removedState(GroupHandle g, Removals.Removed r) {
        String by = r.by().equals(g.authority()) ? "its authority " + r.by().shortId(7) : r.by().shortId(7);
        String reason = "removed from group " + g.name() + " by " + by + " at " + Instant.ofEpochMilli(r.atMillis())
                + "; this agent no longer syncs it; its files stay in " + g.folder()
                + "; ask an administrator for a new invite to rejoin";
        return new GroupState(g.id().toString(), g.name(), g.folder().toString(), false, REMOVED, reason, 0, 0, 0,
                0, 0, null, 0, List.of(), null);
    }

    /** The state of a group this node was removed from. */
    public static final String REMOVED = "removed";

    /** The group's hub and how it stands; null when the group has no member with role hub. */
    private HubBackup hub(GroupHandle g, Set<NodeId> connected) {
        Optional<Member> hub = g.members().members().stream().filter(m -> m.role() == Role.HUB).findFirst();
        if (hub.isEmpty() || hub.get().id().equals(engine.nodeId())) {
            return null;
        }
        NodeId id = hub.get().id();
        Instant now = Instant.now();
        boolean online = connected.contains(id);
        presence.observe(id, online, now);
        return HubBackup.of(id.toString(), online, presence.offlineSince(id), g.lagOf(id), now);
    }

    /** Samples the rate and prints one line per syncing group (and one when it has caught up). */
    void tick() {
        EngineStats st = engine.stats();
        long bytes = st.chunkBytesFetched.sum() + st.chunkBytesReused.sum();
        long now = System.nanoTime();
        if (lastBytes >= 0) {
            double dt = (now - lastNanos) / 1e9;
            double sample = dt > 0 ? (bytes - lastBytes) / dt : 0;
            rate = rate == 0 ? sample : SMOOTHING * sample + (1 - SMOOTHING) * rate;
        }
        lastBytes = bytes;
        lastNanos = now;
        presence.retain(engine.groups().stream().flatMap(g -> g.members().members().stream())
                .filter(m -> m.role() == Role.HUB).map(Member::id).toList());
        for (GroupHandle g : engine.groups()) {
            GroupState s = state(g);
            boolean busy = s.filesLeft() > 0;
            if (busy) {
                console.println("sync " + s.name() + ": " + s.filesLeft() + " file(s), " + mb(s.bytesLeft()) + " left, "
                        + mb((long) s.bytesPerSecond()) + "/s" + (s.etaSeconds() == null ? "" : ", ETA "
                        + eta(s.etaSeconds())) + (s.peers() == 0 ? " (waiting for a peer)" : ""));
            } else if (Boolean.TRUE.equals(wasBusy.get(g.id()))) {
                console.println("sync " + s.name() + ": " + s.state() + " (" + s.reason() + ")");
            }
            wasBusy.put(g.id(), busy);
        }
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static String eta(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
