package org.savesync.core.membership;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.savesync.core.membership.InviteRefusedException.Reason;
import org.savesync.core.membership.InviteStore.Tombstone;

/**
 * The invites an authority has handed out, safe for concurrent use. A joiner's token is
 * checked with {@link #redeem}, which counts the use; the use that reaches the invite's limit
 * retires it atomically, so of joiners racing for the last use exactly one gets in.
 *
 * <p>Checks in order: unknown token, wrong group, revoked / already used / used up, expired.
 *
 * <p>Bounded. Live invites: at most {@value #MAX_ACTIVE_PER_GROUP} per group (a member asking
 * for more is refused with {@link TooManyInvitesException}). An invite that is used up, revoked
 * or expired leaves its live table and becomes a <em>tombstone</em> (id, group, why, limit,
 * expiry), so a joiner who presents it again hears the real reason ("already used", "reached
 * its limit of 100 uses", "revoked", "expired at …") rather than "not known". Tombstones are
 * kept {@link #TOMBSTONE_TTL} after the invite died, and at most {@value #MAX_TOMBSTONES} of them
 * (the oldest go first; a forgotten one reads as unknown). Expired invites are moved to
 * tombstones at least once a minute, by whichever call comes first, and by {@link #purgeExpired}.
 *
 * <p>Every change is written to the {@link InviteStore} before it is made here, and the store
 * is read back when the registry is made: a hub's invites survive its restart.
 */
public final class InviteRegistry {
    /** Longest lifetime an invite may be given. */
    public static final Duration MAX_TTL = InviteSpec.MAX_TTL;
    /** Most live invites per group. */
    public static final int MAX_ACTIVE_PER_GROUP = 1_000;
    /** Most dead invites remembered (about 150 bytes each). */
    public static final int MAX_TOMBSTONES = 10_000;
    /** How long a dead invite is remembered. */
    public static final Duration TOMBSTONE_TTL = Duration.ofDays(7);
    private static final long SWEEP_EVERY_MS = 60_000;

    /** A new invite and its token: the token goes into one ticket and is not kept anywhere. */
    public record Issued(InviteToken token, Invite invite) {
    }

    private final InviteStore store;
    private final Map<String, Invite> live = new HashMap<>();
    private final Map<GroupId, Integer> livePerGroup = new HashMap<>();
    /** Insertion order is death order, so the eldest is the first to forget. */
    private final LinkedHashMap<String, Tombstone> dead = new LinkedHashMap<>();
    private long lastSweep = Long.MIN_VALUE;

    /** A registry that keeps its invites in memory only. */
    public InviteRegistry() {
        this(InviteStore.inMemory());
    }

    /** A registry that keeps its invites in {@code store}, starting with what it holds. */
    public InviteRegistry(InviteStore store) {
        this.store = Objects.requireNonNull(store, "store");
        InviteStore.Contents kept = store.load();
        kept.live().forEach(i -> {
            live.put(i.id(), i);
            livePerGroup.merge(i.group(), 1, Integer::sum);
        });
        kept.dead().forEach(t -> dead.put(t.id(), t));
    }

    /**
     * Makes a new invite for {@code group} as {@code spec} says, from {@code nowMillis}.
     *
     * @throws TooManyInvitesException when the group already has {@value #MAX_ACTIVE_PER_GROUP} live invites
     */
    public synchronized Issued create(GroupId group, InviteSpec spec, long nowMillis) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(spec, "spec");
        sweep(nowMillis, false);
        if (livePerGroup.getOrDefault(group, 0) >= MAX_ACTIVE_PER_GROUP) {
            sweep(nowMillis, true);
            if (livePerGroup.getOrDefault(group, 0) >= MAX_ACTIVE_PER_GROUP) {
                throw new TooManyInvitesException(group, MAX_ACTIVE_PER_GROUP);
            }
        }
        InviteToken token = InviteToken.random();
        Invite invite = new Invite(token.id(), group, spec.role(), spec.maxUses(), 0, nowMillis,
                Math.addExact(nowMillis, spec.ttl().toMillis()), spec.createdBy());
        store.saveLive(invite);
        live.put(invite.id(), invite);
        livePerGroup.merge(group, 1, Integer::sum);
        return new Issued(token, invite);
    }

    /** Revokes the live invite {@code id} of {@code group}. Returns false when there is none (unknown, or dead). */
    public synchronized boolean revoke(GroupId group, String id, long nowMillis) {
        Invite i = id == null ? null : live.get(id);
        if (i == null || !i.group().equals(group)) {
            return false;
        }
        bury(i, Reason.REVOKED, nowMillis);
        return true;
    }

    /**
     * Revokes every live invite of {@code group}; returns how many. A member's removal does this:
     * old tickets stop working (a joiner presenting one hears "revoked"), so a removed node cannot
     * come back in with a ticket it still holds or was handed earlier; the authority hands out new
     * tickets to whoever should join next.
     */
    public synchronized int revokeGroup(GroupId group) {
        List<Invite> mine = live.values().stream().filter(i -> i.group().equals(group)).toList();
        long now = System.currentTimeMillis();
        mine.forEach(i -> bury(i, Reason.REVOKED, now));
        return mine.size();
    }

    /**
     * Checks {@code token} for a joiner of {@code group} and counts the use; the use that
     * reaches the invite's limit retires it.
     *
     * @return the invite that let the joiner in, with this use counted
     * @throws InviteRefusedException with the reason otherwise
     */
    public synchronized Invite redeem(InviteToken token, GroupId group, long nowMillis) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(group, "group");
        sweep(nowMillis, false);
        String id = token.id();
        Invite i = live.get(id);
        if (i != null) {
            if (!i.group().equals(group)) {
                throw new InviteRefusedException(Reason.WRONG_GROUP, group);
            }
            if (i.isExpired(nowMillis)) {
                bury(i, Reason.EXPIRED, nowMillis);
                throw InviteRefusedException.of(Reason.EXPIRED, group, i.maxUses(), i.expiresAtMillis());
            }
            Invite used = i.used();
            if (used.uses() >= used.maxUses()) {
                bury(used, used.singleUse() ? Reason.ALREADY_USED : Reason.USED_UP, nowMillis);
            } else {
                store.saveLive(used);
                live.put(id, used);
            }
            return used;
        }
        Tombstone t = dead.get(id);
        if (t == null) {
            throw new InviteRefusedException(Reason.UNKNOWN, group);
        }
        if (!t.group().equals(group)) {
            throw new InviteRefusedException(Reason.WRONG_GROUP, group);
        }
        throw InviteRefusedException.of(t.reason(), group, t.maxUses(), t.expiresAtMillis());
    }

    /** Moves invites that expired at or before {@code nowMillis} to tombstones; returns how many. */
    public synchronized int purgeExpired(long nowMillis) {
        return sweep(nowMillis, true);
    }

    /** The invites of {@code group} that can still be redeemed at {@code nowMillis}, oldest first. */
    public synchronized List<Invite> active(GroupId group, long nowMillis) {
        return live.values().stream().filter(i -> i.group().equals(group) && !i.isExpired(nowMillis))
                .sorted(Comparator.comparingLong(Invite::createdAtMillis).thenComparing(Invite::id)).toList();
    }

    /** Live invites and tombstones held now: for tests of the bounds. */
    public synchronized int[] size() {
        return new int[] {live.size(), dead.size()};
    }

    private void bury(Invite i, Reason why, long now) {
        Tombstone t = new Tombstone(i.id(), i.group(), why, i.maxUses(), i.expiresAtMillis(),
                saturatedAdd(now, TOMBSTONE_TTL.toMillis()));
        store.bury(t);
        live.remove(i.id());
        livePerGroup.computeIfPresent(i.group(), (g, n) -> n > 1 ? n - 1 : null);
        dead.remove(i.id());
        dead.put(i.id(), t);
        while (dead.size() > MAX_TOMBSTONES) {
            Iterator<String> it = dead.keySet().iterator();
            String eldest = it.next();
            store.forget(eldest);
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
        List<String> forgotten = dead.values().stream().filter(t -> now >= t.forgetAtMillis()).map(Tombstone::id)
                .toList();
        for (String id : forgotten) {
            store.forget(id);
            dead.remove(id);
        }
        return expired.size();
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
