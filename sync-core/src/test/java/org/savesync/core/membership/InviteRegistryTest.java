package org.savesync.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.InviteRefusedException.Reason;
import org.junit.jupiter.api.Test;

class InviteRegistryTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String OWNER = InviteSpec.byNode(NodeKey.generate().nodeId());
    private static final GroupId GROUP = GroupId.random();
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final KeepingInviteStore store = new KeepingInviteStore();
    private final InviteRegistry registry = new InviteRegistry(store);

    private InviteRegistry.Issued reusable(Duration ttl) {
        return registry.create(GROUP, InviteSpec.reusable(ttl, null, Role.MEMBER, OWNER), NOW);
    }

    private InviteRegistry.Issued singleUse(GroupId group) {
        return registry.create(group, InviteSpec.singleUse(HOUR, Role.MEMBER, OWNER), NOW);
    }

    @Test
    void aReusableInviteWorksUntilItExpires() {
        var issued = reusable(HOUR);
        Invite invite = issued.invite();
        assertThat(invite.expiresAtMillis()).isEqualTo(NOW + HOUR.toMillis());
        assertThat(invite.createdAtMillis()).isEqualTo(NOW);
        assertThat(invite.createdBy()).isEqualTo(OWNER);
        assertThat(invite.maxUses()).as("the default limit of a reusable invite").isEqualTo(100);
        assertThat(invite.id()).isEqualTo(issued.token().id()).hasSize(InviteToken.ID_LENGTH);
        assertThat(registry.redeem(issued.token(), GROUP, NOW).uses()).isEqualTo(1);
        assertThat(registry.redeem(issued.token(), GROUP, invite.expiresAtMillis() - 1).uses()).isEqualTo(2);
        assertThat(registry.active(GROUP, NOW)).singleElement().satisfies(i -> assertThat(i.uses()).isEqualTo(2));
        assertThat(reason(issued.token(), GROUP, invite.expiresAtMillis())).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void aSingleUseInviteWorksOnce() {
        var issued = singleUse(GROUP);
        assertThat(registry.redeem(issued.token(), GROUP, NOW).uses()).isEqualTo(1);
        assertThat(refusal(issued.token(), GROUP, NOW)).hasMessageStartingWith("this single-use invite was already used");
        assertThat(registry.active(GROUP, NOW)).isEmpty();
    }

    @Test
    void aReusableInviteStopsAtItsLimit() {
        var issued = registry.create(GROUP, InviteSpec.reusable(HOUR, 3, Role.READER, OWNER), NOW);
        for (int i = 1; i <= 3; i++) {
            Invite used = registry.redeem(issued.token(), GROUP, NOW);
            assertThat(used.uses()).isEqualTo(i);
            assertThat(used.role()).isEqualTo(Role.READER);
        }
        InviteRefusedException e = refusal(issued.token(), GROUP, NOW);
        assertThat(e.reason()).isEqualTo(Reason.USED_UP);
        assertThat(e).hasMessage("this invite reached its limit of 3 uses; ask a member for a new one");
        assertThat(registry.active(GROUP, NOW)).as("a used-up invite is not listed").isEmpty();
    }

    @Test
    void eachRefusalSaysWhatHappened() {
        assertThat(refusal(InviteToken.random(), GROUP, NOW)).hasMessageContaining("not known");

        var other = singleUse(GROUP);
        assertThat(reason(other.token(), GroupId.random(), NOW)).isEqualTo(Reason.WRONG_GROUP);
        assertThat(registry.redeem(other.token(), GROUP, NOW).uses()).as("a wrong-group attempt does not use it up")
                .isEqualTo(1);

        var revoked = reusable(HOUR);
        assertThat(registry.revoke(GroupId.random(), revoked.invite().id(), NOW)).as("only in its own group").isFalse();
        assertThat(registry.revoke(GROUP, revoked.invite().id(), NOW)).isTrue();
        assertThat(refusal(revoked.token(), GROUP, NOW)).hasMessage("this invite was revoked; ask a member for a new one");
        assertThat(registry.revoke(GROUP, revoked.invite().id(), NOW)).as("not twice").isFalse();
        assertThat(registry.revoke(GROUP, InviteToken.random().id(), NOW)).isFalse();

        var expired = reusable(MINUTE);
        long at = expired.invite().expiresAtMillis();
        assertThat(registry.redeem(expired.token(), GROUP, at - 1).uses()).isEqualTo(1);
        String expiredAt = "this invite expired at " + Instant.ofEpochMilli(at) + "; ask a member for a new one";
        assertThat(refusal(expired.token(), GROUP, at)).hasMessage(expiredAt);
        assertThat(refusal(expired.token(), GROUP, at - 1)).as("an expired invite stays expired").hasMessage(expiredAt);
    }

    @Test
    void messagesNeverContainTheToken() {
        var issued = singleUse(GROUP);
        registry.redeem(issued.token(), GROUP, NOW);
        InviteRefusedException e = refusal(issued.token(), GROUP, NOW);
        assertThat(e.getMessage()).doesNotContain(issued.token().text());
        assertThat(e.group()).isEqualTo(GROUP);
        assertThat(issued.invite().toString()).doesNotContain(issued.token().text());
        assertThat(issued.token().text()).doesNotContain(issued.invite().id());
        for (Reason r : Reason.values()) {
            assertThat(new InviteRefusedException(r, GROUP).getMessage()).contains(r.advice());
        }
    }

    @Test
    void revokeGroupAndPurge() {
        var a = reusable(HOUR);
        var b = reusable(MINUTE);
        var elsewhere = registry.create(GroupId.random(), InviteSpec.reusable(HOUR, 5, Role.MEMBER, OWNER), NOW);
        assertThat(registry.active(GROUP, NOW)).containsExactlyInAnyOrder(a.invite(), b.invite());
        assertThat(registry.revokeGroup(GROUP)).isEqualTo(2);
        assertThat(registry.active(GROUP, NOW)).isEmpty();
        assertThat(reason(a.token(), GROUP, NOW)).isEqualTo(Reason.REVOKED);
        assertThat(registry.redeem(elsewhere.token(), elsewhere.invite().group(), NOW).uses()).isEqualTo(1);

        var c = reusable(MINUTE);
        assertThat(registry.purgeExpired(NOW + MINUTE.toMillis())).isEqualTo(1);
        assertThat(reason(c.token(), GROUP, NOW)).as("a purged invite is remembered as expired").isEqualTo(Reason.EXPIRED);
        assertThat(reason(b.token(), GROUP, NOW)).as("a revoked one as revoked, expired or not").isEqualTo(Reason.REVOKED);
    }

    @Test
    void deadInvitesLeaveTheLiveTableAndAreRememberedForAWeekAtMost() {
        var used = singleUse(GROUP);
        var expires = reusable(MINUTE);
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
        assertThat(store.dead).as("forgotten in the store too").isEmpty();
        assertThat(reason(used.token(), GROUP, weekLater)).isEqualTo(Reason.UNKNOWN);
    }

    @Test
    void tombstonesAreCappedOldestFirst() {
        var first = singleUse(GROUP);
        registry.redeem(first.token(), GROUP, NOW);
        InviteRegistry.Issued last = null;
        for (int i = 0; i < InviteRegistry.MAX_TOMBSTONES; i++) {
            last = singleUse(GROUP);
            registry.redeem(last.token(), GROUP, NOW);
        }
        assertThat(registry.size()).containsExactly(0, InviteRegistry.MAX_TOMBSTONES);
        assertThat(store.dead).hasSize(InviteRegistry.MAX_TOMBSTONES);
        assertThat(reason(first.token(), GROUP, NOW)).isEqualTo(Reason.UNKNOWN);
        assertThat(reason(last.token(), GROUP, NOW)).isEqualTo(Reason.ALREADY_USED);
    }

    @Test
    void liveInvitesAreCappedPerGroup() {
        for (int i = 0; i < InviteRegistry.MAX_ACTIVE_PER_GROUP; i++) {
            reusable(HOUR);
        }
        assertThatThrownBy(() -> reusable(HOUR))
                .isInstanceOf(TooManyInvitesException.class).hasMessageContaining("open invites");
        assertThat(singleUse(GroupId.random())).as("another group").isNotNull();
        long later = NOW + HOUR.toMillis();
        assertThat(registry.create(GROUP, InviteSpec.singleUse(HOUR, Role.MEMBER, OWNER), later))
                .as("once the old ones expired").isNotNull();
        assertThat(registry.size()).as("the expired ones went to tombstones").containsExactly(1, 1_001);
    }

    @Test
    void specBounds() {
        assertThatThrownBy(() -> InviteSpec.singleUse(Duration.ofSeconds(59), Role.MEMBER, OWNER))
                .hasMessageContaining("between 1 minute and 30 days");
        assertThatThrownBy(() -> InviteSpec.singleUse(Duration.ofDays(31), Role.MEMBER, OWNER))
                .hasMessageContaining("30 days");
        assertThat(InviteSpec.singleUse(MINUTE, Role.MEMBER, OWNER).ttl()).isEqualTo(MINUTE);
        assertThat(InviteSpec.singleUse(Duration.ofDays(30), Role.MEMBER, OWNER).ttl()).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> InviteSpec.reusable(HOUR, 10_001, Role.MEMBER, OWNER))
                .hasMessageContaining("1 to 10000 joiners");
        assertThatThrownBy(() -> InviteSpec.reusable(HOUR, -1, Role.MEMBER, OWNER)).hasMessageContaining("1 to 10000");
        assertThat(InviteSpec.reusable(HOUR, 10_000, Role.MEMBER, OWNER).maxUses()).isEqualTo(10_000);
        assertThatThrownBy(() -> InviteSpec.singleUse(HOUR, Role.OWNER, OWNER)).hasMessageContaining("not OWNER");
        assertThatThrownBy(() -> InviteSpec.singleUse(HOUR, Role.HUB, OWNER)).hasMessageContaining("not HUB");
        assertThatThrownBy(() -> InviteSpec.singleUse(HOUR, Role.MEMBER, "a\nb")).hasMessageContaining("control");
        assertThatThrownBy(() -> InviteSpec.singleUse(HOUR, Role.MEMBER, "x".repeat(256))).hasMessageContaining("255");
    }

    @Test
    void ofRacersForTheLastUseExactlyOneGetsIn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                int limit = 1 + round % 3;
                var issued = registry.create(GROUP, new InviteSpec(HOUR, limit, Role.MEMBER, OWNER), NOW);
                for (int i = 0; i < limit - 1; i++) {
                    registry.redeem(issued.token(), GROUP, NOW);
                }
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            registry.redeem(issued.token(), GROUP, NOW);
                            return true;
                        } catch (InviteRefusedException e) {
                            assertThat(e.reason()).isEqualTo(limit == 1 ? Reason.ALREADY_USED : Reason.USED_UP);
                            return false;
                        }
                    }));
                }
                start.countDown();
                int wins = 0;
                for (Future<Boolean> f : results) {
                    wins += f.get() ? 1 : 0;
                }
                assertThat(wins).as("round %d, limit %d", round, limit).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewRegistryOverTheSameStoreKnowsEverything() {
        var live = registry.create(GROUP, InviteSpec.reusable(HOUR, 2, Role.READER, "admin alice"), NOW);
        registry.redeem(live.token(), GROUP, NOW);
        var used = singleUse(GROUP);
        registry.redeem(used.token(), GROUP, NOW);
        var revoked = reusable(HOUR);
        registry.revoke(GROUP, revoked.invite().id(), NOW);

        InviteRegistry restarted = new InviteRegistry(store);
        assertThat(restarted.active(GROUP, NOW)).singleElement().satisfies(i -> {
            assertThat(i.uses()).isEqualTo(1);
            assertThat(i.role()).isEqualTo(Role.READER);
            assertThat(i.createdBy()).isEqualTo("admin alice");
        });
        assertThat(restarted.redeem(live.token(), GROUP, NOW).uses()).isEqualTo(2);
        assertThat(catchThrowableOfType(InviteRefusedException.class, () -> restarted.redeem(live.token(), GROUP, NOW)))
                .hasMessageContaining("limit of 2 uses");
        assertThat(catchThrowableOfType(InviteRefusedException.class, () -> restarted.redeem(used.token(), GROUP, NOW))
                .reason()).isEqualTo(Reason.ALREADY_USED);
        assertThat(catchThrowableOfType(InviteRefusedException.class, () -> restarted.redeem(revoked.token(), GROUP, NOW))
                .reason()).isEqualTo(Reason.REVOKED);
    }

    @Test
    void aFailedStoreWriteChangesNothing() {
        var issued = singleUse(GROUP);
        store.failNext = true;
        assertThatThrownBy(() -> registry.redeem(issued.token(), GROUP, NOW)).hasMessage("store down");
        assertThat(registry.active(GROUP, NOW)).as("still live, still unused").containsExactly(issued.invite());
        assertThat(registry.redeem(issued.token(), GROUP, NOW).uses()).isEqualTo(1);
        store.failNext = true;
        assertThatThrownBy(() -> reusable(HOUR)).hasMessage("store down");
        assertThat(registry.size()).containsExactly(0, 1);
    }

    @Test
    void tokenTextRoundTripsAndToStringIsRedacted() {
        InviteToken t = InviteToken.random();
        assertThat(t.text()).hasSize(InviteToken.TEXT_LENGTH);
        assertThat(InviteToken.parse(t.text())).isEqualTo(t);
        assertThat(InviteToken.parse(t.text()).id()).isEqualTo(t.id());
        assertThat(t.toString()).doesNotContain(t.text()).startsWith("InviteToken[" + t.text().substring(0, 6));
        assertThatThrownBy(() -> InviteToken.parse("abc")).hasMessageContaining("39");
    }

    private InviteRefusedException refusal(InviteToken token, GroupId group, long now) {
        return catchThrowableOfType(InviteRefusedException.class, () -> registry.redeem(token, group, now));
    }

    private Reason reason(InviteToken token, GroupId group, long now) {
        return refusal(token, group, now).reason();
    }
}
