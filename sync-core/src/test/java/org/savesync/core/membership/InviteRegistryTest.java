package org.savesync.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.InviteRefusedException.Reason;
import org.junit.jupiter.api.Test;

class InviteRegistryTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private static final NodeId OWNER = NodeKey.generate().nodeId();
    private static final GroupId GROUP = GroupId.random();
    private static final Duration HOUR = Duration.ofHours(1);

    private final InviteRegistry registry = new InviteRegistry();

    @Test
    void aReusableInviteWorksUntilItExpires() {
        Invite invite = registry.create(GROUP, HOUR, false, OWNER, CLOCK);
        assertThat(invite.expiresAtMillis()).isEqualTo(NOW + HOUR.toMillis());
        assertThat(invite.createdBy()).isEqualTo(OWNER);
        assertThat(registry.redeem(invite.token(), GROUP, NOW)).isEqualTo(invite);
        assertThat(registry.redeem(invite.token(), GROUP, NOW + 1)).isEqualTo(invite);
        assertThat(registry.redeem(invite.token(), GROUP, invite.expiresAtMillis() - 1)).isEqualTo(invite);
        assertThat(reason(invite.token(), GROUP, invite.expiresAtMillis())).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void aSingleUseInviteWorksOnce() {
        Invite invite = registry.create(GROUP, HOUR, true, OWNER, CLOCK);
        registry.redeem(invite.token(), GROUP, NOW);
        assertThat(reason(invite.token(), GROUP, NOW)).isEqualTo(Reason.ALREADY_USED);
    }

    @Test
    void refusalReasons() {
        assertThat(reason(InviteToken.random(), GROUP, NOW)).isEqualTo(Reason.UNKNOWN);

        Invite other = registry.create(GROUP, HOUR, true, OWNER, CLOCK);
        assertThat(reason(other.token(), GroupId.random(), NOW)).isEqualTo(Reason.WRONG_GROUP);
        assertThat(registry.redeem(other.token(), GROUP, NOW)).as("a wrong-group attempt does not use it up").isEqualTo(other);

        Invite revoked = registry.create(GROUP, HOUR, false, OWNER, CLOCK);
        assertThat(registry.revoke(revoked.token())).isTrue();
        assertThat(reason(revoked.token(), GROUP, NOW)).isEqualTo(Reason.REVOKED);
        assertThat(registry.revoke(InviteToken.random())).isFalse();

        Invite expired = registry.create(GROUP, Duration.ofMillis(10), false, OWNER, CLOCK);
        assertThat(registry.redeem(expired.token(), GROUP, NOW + 9)).isEqualTo(expired);
        assertThat(reason(expired.token(), GROUP, NOW + 10)).isEqualTo(Reason.EXPIRED);
        assertThat(reason(expired.token(), GROUP, NOW + 9)).as("an expired invite stays expired").isEqualTo(Reason.EXPIRED);
    }

    @Test
    void messagesAreClearAndNeverContainTheToken() {
        Invite invite = registry.create(GROUP, HOUR, true, OWNER, CLOCK);
        registry.redeem(invite.token(), GROUP, NOW);
        InviteRefusedException e = catchThrowableOfType(InviteRefusedException.class,
                () -> registry.redeem(invite.token(), GROUP, NOW));
        assertThat(e.getMessage()).contains("already used").contains("ask a member for a new one")
                .doesNotContain(invite.token().text());
        assertThat(e.group()).isEqualTo(GROUP);
        assertThat(invite.toString()).doesNotContain(invite.token().text());
        for (Reason r : Reason.values()) {
            assertThat(new InviteRefusedException(r, GROUP).getMessage()).contains(r.advice());
        }
    }

    @Test
    void revokeAllAndPurge() {
        Invite a = registry.create(GROUP, HOUR, false, OWNER, CLOCK);
        Invite b = registry.create(GROUP, Duration.ofMinutes(1), false, OWNER, CLOCK);
        Invite elsewhere = registry.create(GroupId.random(), HOUR, false, OWNER, CLOCK);
        assertThat(registry.active(GROUP, NOW)).containsExactlyInAnyOrder(a, b);
        assertThat(registry.revokeAll(GROUP)).isEqualTo(2);
        assertThat(registry.active(GROUP, NOW)).isEmpty();
        assertThat(reason(a.token(), GROUP, NOW)).isEqualTo(Reason.REVOKED);
        assertThat(registry.redeem(elsewhere.token(), elsewhere.group(), NOW)).isEqualTo(elsewhere);

        Invite c = registry.create(GROUP, Duration.ofMinutes(1), false, OWNER, CLOCK);
        assertThat(registry.purgeExpired(NOW + Duration.ofMinutes(1).toMillis())).isEqualTo(1);
        assertThat(reason(c.token(), GROUP, NOW)).as("a purged invite is remembered as expired").isEqualTo(Reason.EXPIRED);
        assertThat(reason(b.token(), GROUP, NOW)).as("a revoked one as revoked, expired or not").isEqualTo(Reason.REVOKED);
        assertThat(reason(a.token(), GROUP, NOW)).isEqualTo(Reason.REVOKED);
    }

    @Test
    void deadInvitesLeaveTheLiveTableAndAreRememberedForAWeekAtMost() {
        Invite used = registry.create(GROUP, HOUR, true, OWNER, CLOCK);
        Invite expires = registry.create(GROUP, Duration.ofMinutes(1), false, OWNER, CLOCK);
        registry.redeem(used.token(), GROUP, NOW);
        assertThat(registry.size()).containsExactly(1, 1);
        // No purge call: the next redeem a minute later sweeps the expired one.
        long later = NOW + Duration.ofMinutes(2).toMillis();
        assertThat(reason(InviteToken.random(), GROUP, later)).isEqualTo(Reason.UNKNOWN);
        assertThat(registry.size()).containsExactly(0, 2);
        assertThat(reason(used.token(), GROUP, later)).isEqualTo(Reason.ALREADY_USED);
        assertThat(reason(expires.token(), GROUP, later)).isEqualTo(Reason.EXPIRED);
        assertThat(reason(used.token(), GroupId.random(), later)).isEqualTo(Reason.WRONG_GROUP);

        long weekLater = later + InviteRegistry.TOMBSTONE_TTL.toMillis();
        assertThat(registry.purgeExpired(weekLater)).isZero();
        assertThat(registry.size()).containsExactly(0, 0);
        assertThat(reason(used.token(), GROUP, weekLater)).isEqualTo(Reason.UNKNOWN);
    }

    @Test
    void tombstonesAreCappedOldestFirst() {
        Invite first = registry.create(GROUP, HOUR, true, OWNER, CLOCK);
        registry.redeem(first.token(), GROUP, NOW);
        Invite last = null;
        for (int i = 0; i < InviteRegistry.MAX_TOMBSTONES; i++) {
            last = registry.create(GROUP, HOUR, true, OWNER, CLOCK);
            registry.redeem(last.token(), GROUP, NOW);
        }
        assertThat(registry.size()).containsExactly(0, InviteRegistry.MAX_TOMBSTONES);
        assertThat(reason(first.token(), GROUP, NOW)).isEqualTo(Reason.UNKNOWN);
        assertThat(reason(last.token(), GROUP, NOW)).isEqualTo(Reason.ALREADY_USED);
    }

    @Test
    void liveInvitesAreCappedPerGroup() {
        for (int i = 0; i < InviteRegistry.MAX_ACTIVE_PER_GROUP; i++) {
            registry.create(GROUP, HOUR, false, OWNER, CLOCK);
        }
        assertThatThrownBy(() -> registry.create(GROUP, HOUR, false, OWNER, CLOCK))
                .isInstanceOf(TooManyInvitesException.class).hasMessageContaining("open invites");
        assertThat(registry.create(GroupId.random(), HOUR, false, OWNER, CLOCK)).as("another group").isNotNull();
        Clock later = Clock.offset(CLOCK, HOUR);
        assertThat(registry.create(GROUP, HOUR, false, OWNER, later)).as("once the old ones expired").isNotNull();
        assertThat(registry.size()).as("the expired ones went to tombstones").containsExactly(1, 1_001);
    }

    @Test
    void validatesLifetime() {
        assertThatThrownBy(() -> registry.create(GROUP, Duration.ZERO, true, OWNER, CLOCK)).hasMessageContaining("lives");
        assertThatThrownBy(() -> registry.create(GROUP, Duration.ofDays(31), true, OWNER, CLOCK)).hasMessageContaining("30 days");
    }

    @Test
    void twoConcurrentRedeemsOfASingleUseTokenOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                Invite invite = registry.create(GROUP, HOUR, true, OWNER, CLOCK);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            registry.redeem(invite.token(), GROUP, NOW);
                            return true;
                        } catch (InviteRefusedException e) {
                            assertThat(e.reason()).isEqualTo(Reason.ALREADY_USED);
                            return false;
                        }
                    }));
                }
                start.countDown();
                int wins = 0;
                for (Future<Boolean> f : results) {
                    wins += f.get() ? 1 : 0;
                }
                assertThat(wins).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tokenTextRoundTripsAndToStringIsRedacted() {
        InviteToken t = InviteToken.random();
        assertThat(t.text()).hasSize(InviteToken.TEXT_LENGTH);
        assertThat(InviteToken.parse(t.text())).isEqualTo(t);
        assertThat(t.toString()).doesNotContain(t.text()).startsWith("InviteToken[" + t.text().substring(0, 6));
        assertThatThrownBy(() -> InviteToken.parse("abc")).hasMessageContaining("39");
    }

    private Reason reason(InviteToken token, GroupId group, long now) {
        return catchThrowableOfType(InviteRefusedException.class, () -> registry.redeem(token, group, now)).reason();
    }
}
