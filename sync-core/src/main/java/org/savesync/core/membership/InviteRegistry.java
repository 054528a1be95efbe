package org.savesync.core.membership;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.InviteRefusedException.Reason;

/**
 * The invites an authority has handed out, in memory, safe for concurrent use. A joiner's
 * token is checked with {@link #redeem}; a single-use token is consumed atomically, so of two
 * joiners racing with the same token exactly one gets in.
 *
 * <p>Checks in order: unknown token, wrong group, revoked, already used, expired. Revoked
 * and used tokens are remembered until they expire (so the joiner hears the real reason);
 * {@link #purgeExpired} forgets expired ones, after which they read as unknown.
 */
public final class InviteRegistry {
    /** Longest lifetime an invite may be given. */
    public static final Duration MAX_TTL = Duration.ofDays(30);

    private enum State { ACTIVE, USED, REVOKED }

    private record Slot(Invite invite, State state) {
    }

    private final Map<InviteToken, Slot> invites = new ConcurrentHashMap<>();

    /** Makes a new invite for {@code group} that expires {@code ttl} from {@code clock}'s now. */
    public Invite create(GroupId group, Duration ttl, boolean singleUse, NodeId createdBy, Clock clock) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("an invite lives between 1 ms and " + MAX_TTL.toDays() + " days, got " + ttl);
        }
        Invite invite = new Invite(InviteToken.random(), group, Math.addExact(clock.millis(), ttl.toMillis()),
                singleUse, createdBy);
        invites.put(invite.token(), new Slot(invite, State.ACTIVE));
        return invite;
    }

    /** Revokes a token. Returns false when it is not known (already purged or never made here). */
    public boolean revoke(InviteToken token) {
        return invites.computeIfPresent(token, (t, s) -> new Slot(s.invite(), State.REVOKED)) != null;
    }

    /** Revokes every invite of {@code group} (e.g. after a member was removed); returns how many were active. */
    public int revokeAll(GroupId group) {
        int[] n = {0};
        invites.replaceAll((t, s) -> {
            if (s.invite().group().equals(group) && s.state() != State.REVOKED) {
                if (s.state() == State.ACTIVE) {
                    n[0]++;
                }
                return new Slot(s.invite(), State.REVOKED);
            }
            return s;
        });
        return n[0];
    }

    /**
     * Checks {@code token} for a joiner of {@code group} and, for a single-use invite, uses it up.
     *
     * @return the invite that let the joiner in
     * @throws InviteRefusedException with the reason otherwise
     */
    public Invite redeem(InviteToken token, GroupId group, long nowMillis) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(group, "group");
        Reason[] refused = {null};
        Slot after = invites.computeIfPresent(token, (t, s) -> {
            Reason r = check(s, group, nowMillis);
            if (r != null) {
                refused[0] = r;
                return s;
            }
            return s.invite().singleUse() ? new Slot(s.invite(), State.USED) : s;
        });
        if (after == null) {
            throw new InviteRefusedException(Reason.UNKNOWN, group);
        }
        if (refused[0] != null) {
            throw new InviteRefusedException(refused[0], group);
        }
        return after.invite();
    }

    private static Reason check(Slot s, GroupId group, long nowMillis) {
        if (!s.invite().group().equals(group)) {
            return Reason.WRONG_GROUP;
        }
        return switch (s.state()) {
            case REVOKED -> Reason.REVOKED;
            case USED -> Reason.ALREADY_USED;
            case ACTIVE -> s.invite().isExpired(nowMillis) ? Reason.EXPIRED : null;
        };
    }

    /** Forgets invites that expired at or before {@code nowMillis}; returns how many. */
    public int purgeExpired(long nowMillis) {
        int before = invites.size();
        invites.values().removeIf(s -> s.invite().isExpired(nowMillis));
        return before - invites.size();
    }

    /** The invites of {@code group} that can still be redeemed at {@code nowMillis}. */
    public List<Invite> active(GroupId group, long nowMillis) {
        return invites.values().stream()
                .filter(s -> s.state() == State.ACTIVE && s.invite().group().equals(group) && !s.invite().isExpired(nowMillis))
                .map(Slot::invite)
                .toList();
    }
}
