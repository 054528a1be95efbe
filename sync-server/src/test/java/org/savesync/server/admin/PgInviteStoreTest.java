package org.savesync.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.InviteRefusedException;
import org.savesync.core.membership.InviteRegistry;
import org.savesync.core.membership.InviteSpec;
import org.savesync.core.membership.InviteToken;
import org.savesync.core.membership.Role;
import org.savesync.server.persistence.PgInviteStore;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/**
 * The hub's invites in PostgreSQL: a registry made again over the store (as at a restart of the
 * hub) knows every live invite with its uses, role and creator, and why each dead one died.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class PgInviteStoreTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @Inject
    PgInviteStore store;

    @Test
    void invitesSurviveARestartOfTheStore() {
        long now = System.currentTimeMillis();
        GroupId group = GroupId.random();
        InviteRegistry before = new InviteRegistry(store);
        var reusable = before.create(group, InviteSpec.reusable(HOUR, 3, Role.READER, "admin alice"), now);
        before.redeem(reusable.token(), group, now);
        var used = before.create(group, InviteSpec.singleUse(HOUR, Role.MEMBER, "node x"), now);
        before.redeem(used.token(), group, now);
        var revoked = before.create(group, InviteSpec.singleUse(HOUR, Role.MEMBER, "admin bob"), now);
        before.revoke(group, revoked.invite().id(), now);
        var expires = before.create(group, InviteSpec.singleUse(Duration.ofMinutes(1), Role.MEMBER, "admin bob"), now);

        InviteRegistry after = new InviteRegistry(store);
        assertThat(after.active(group, now)).containsExactly(before.active(group, now).toArray(
                org.savesync.core.membership.Invite[]::new));
        // Both were made at the same millisecond: pick the reusable one by its id, not by its place.
        assertThat(after.active(group, now)).hasSize(2).filteredOn(i -> i.id().equals(reusable.invite().id()))
                .singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo(reusable.invite().id());
            assertThat(i.uses()).isEqualTo(1);
            assertThat(i.maxUses()).isEqualTo(3);
            assertThat(i.role()).isEqualTo(Role.READER);
            assertThat(i.createdBy()).isEqualTo("admin alice");
            assertThat(i.expiresAtMillis()).isEqualTo(now + HOUR.toMillis());
        });
        assertThat(after.redeem(reusable.token(), group, now).uses()).isEqualTo(2);
        assertThat(refusal(after, used.token(), group, now).reason()).isEqualTo(InviteRefusedException.Reason.ALREADY_USED);
        assertThat(refusal(after, revoked.token(), group, now).reason()).isEqualTo(InviteRefusedException.Reason.REVOKED);
        long late = expires.invite().expiresAtMillis();
        assertThat(refusal(after, expires.token(), group, late)).hasMessageContaining("this invite expired at");

        after.redeem(reusable.token(), group, now);
        assertThat(refusal(new InviteRegistry(store), reusable.token(), group, now))
                .hasMessageContaining("reached its limit of 3 uses");
    }

    private static InviteRefusedException refusal(InviteRegistry r, InviteToken t, GroupId g, long now) {
        return catchThrowableOfType(InviteRefusedException.class, () -> r.redeem(t, g, now));
    }
}
