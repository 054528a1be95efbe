package org.savesync.core.membership;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.InviteRefusedException.Reason;

/**
 * The invites an authority has handed out, in memory, safe for concurrent use. A joiner's
 * token is checked with {@link #redeem}; a single-use token is consumed atomically, so of two
 * joiners racing with the same token exactly one gets in.
 *
 * <p>Checks in order: unknown token, wrong group, revoked, already used, expired.
 *
 * <p>Bounded. Live invites: at most {@value #MAX_ACTIVE_PER_GROUP} per group (a member asking
 * for more is refused with {@link TooManyInvitesException}). An invite that is used up, revoked
 * or expired leaves its live table and becomes a <em>tombstone</em> (token, group, why), so a
 * joiner who presents it again hears the real reason ("already used", "revoked", "expired")
 * rather than "not known". Tombstones are kept {@link #TOMBSTONE_TTL} after the invite died,
 * and at most {@value #MAX_TOMBSTONES} of them (the oldest go first; a forgotten one reads as
 * unknown). Expired invites are moved to tombstones at least once a minute, by whichever call
 * comes first, and by {@link #purgeExpired}.
 */
public final class InviteRegistry {
    /** Longest lifetime an invite may be given. */
    public static final Duration MAX_TTL = Duration.ofDays(30);
    /** Most live invites per group. */
    public static final int MAX_ACTIVE_PER_GROUP = 1_000;
    /** Most dead invites remembered (about 150 bytes each). */
    public static final int MAX_TOMBSTONES = 10_000;
    /** How long a dead invite is remembered. */
    public static final Duration TOMBSTONE_TTL = Duration.ofDays(7);
    private static final long SWEEP_EVERY_MS = 60_000;

    private record Tombstone(GroupId group, Reason reason, long forgetAtMillis) {
    }

    private final Map<InviteToken, Invite> live = new HashMap<>();
    private final Map<GroupId, Integer> livePerGroup = new HashMap<>();
    /** Insertion order is death order, so the eldest is the first to forget. */
    private final LinkedHashMap<InviteToken, Tombstone> dead = new LinkedHashMap<>();
    private long lastSweep = Long.MIN_VALUE;

    /**
     * Makes a new invite for {@code group} that expires {@code ttl} from {@code clock}'s now.
     *
     * @throws TooManyInvitesException when the group already has {@value #MAX_ACTIVE_PER_GROUP} live invites
     */
    public synchronized Invite create(GroupId group, Duration ttl, boolean singleUse, NodeId createdBy, Clock clock) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("an invite lives between 1 ms and " + MAX_TTL.toDays() + " days, got " + ttl);
        }
        long now = clock.millis();
        sweep(now, false);
        if (livePerGroup.getOrDefault(group, 0) >= MAX_ACTIVE_PER_GROUP) {
            sweep(now, true);
            if (livePerGroup.getOrDefault(group, 0) >= MAX_ACTIVE_PER_GROUP) {
                throw new TooManyInvitesException(group, MAX_ACTIVE_PER_GROUP);
            }
        }
        Invite invite = new Invite(InviteToken.random(), group, Math.addExact(now, ttl.toMillis()), singleUse, createdBy);
        live.put(invite.token(), invite);
        livePerGroup.merge(group, 1, Integer::sum);
        return invite;
    }

    /** Revokes a token. Returns false when it is not live (unknown, or already dead). */
    public synchronized boolean revoke(InviteToken token) {
        Invite i = live.get(token);
        if (i == null) {
            return false;
        }
        bury(i, Reason.REVOKED, System.currentTimeMillis());
        return true;
    }

    /**
     * Revokes every live invite of {@code group}; returns how many. A member's removal does this:
     * old tickets stop working (a joiner presenting one hears "revoked"), so a removed node cannot
     * come back in with a ticket it still holds or was handed earlier; the authority hands out new
     * tickets to whoever should join next.
     */
    public synchronized int revokeGroup(GroupId group) {
        return revokeAll(group);
    }

    /** Revokes every live invite of {@code group} (e.g. after a member was removed); returns how many. */
    public synchronized int revokeAll(GroupId group) {
        List<Invite> mine = live.values().stream().filter(i -> i.group().equals(group)).toList();
        long now = System.currentTimeMillis();
        mine.forEach(i -> bury(i, Reason.REVOKED, now));
        return mine.size();
    }

    /**
     * Checks {@code token} for a joiner of {@code group} and, for a single-use invite, uses it up.
     *
     * @return the invite that let the joiner in
     * @throws InviteRefusedException with the reason otherwise
     */
    public synchronized Invite redeem(InviteToken token, GroupId group, long nowMillis) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(group, "group");
        sweep(nowMillis, false);
        Invite i = live.get(token);
        if (i != null) {
            if (!i.group().equals(group)) {
                throw new InviteRefusedException(Reason.WRONG_GROUP, group);
            }
            if (i.isExpired(nowMillis)) {
                bury(i, Reason.EXPIRED, nowMillis);
                throw new InviteRefusedException(Reason.EXPIRED, group);
            }
            if (i.singleUse()) {
                bury(i, Reason.ALREADY_USED, nowMillis);
            }
            return i;
        }
        Tombstone t = dead.get(token);
        if (t == null) {
            throw new InviteRefusedException(Reason.UNKNOWN, group);
        }
        throw new InviteRefusedException(t.group().equals(group) ? t.reason() : Reason.WRONG_GROUP, group);
    }

    /** Moves invites that expired at or before {@code nowMillis} to tombstones; returns how many. */
    public synchronized int purgeExpired(long nowMillis) {
        return sweep(nowMillis, true);
    }

    /** The invites of {@code group} that can still be redeemed at {@code nowMillis}. */
    public synchronized List<Invite> active(GroupId group, long nowMillis) {
        return live.values().stream().filter(i -> i.group().equals(group) && !i.isExpired(nowMillis)).toList();
    }

    /** Live invites and tombstones held now: for tests of the bounds. */
    public synchronized int[] size() {
        return new int[] {live.size(), dead.size()};
    }

    private void bury(Invite i, Reason why, long now) {
        live.remove(i.token());
        livePerGroup.computeIfPresent(i.group(), (g, n) -> n > 1 ? n - 1 : null);
        dead.remove(i.token());
        dead.put(i.token(), new Tombstone(i.group(), why, saturatedAdd(now, TOMBSTONE_TTL.toMillis())));
        while (dead.size() > MAX_TOMBSTONES) {
            Iterator<InviteToken> it = dead.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    /** Expired live invites to tombstones, forgotten tombstones out; at most once a minute unless forced. */
    private int sweep(long now, boolean force) {
        if (!force && lastSweep != Long.MIN_VALUE && now - lastSweep < SWEEP_EVERY_MS && now >= lastSweep) {
            return 0;
        }
        lastSweep = now;
        List<Invite> expired = live.values().stream().filter(i -> i.isExpired(now)).toList();
        expired.forEach(i -> bury(i, Reason.EXPIRED, now));
        dead.values().removeIf(t -> now >= t.forgetAtMillis());
        return expired.size();
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
