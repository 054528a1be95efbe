package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.InviteToken;
import org.savesync.core.membership.Ticket;
import org.savesync.core.testsupport.TreeBuilder;
import org.savesync.core.transport.Alpn;
import org.savesync.core.transport.PeerRefusedException;
import org.savesync.core.transport.QuicEndpoint;
import org.savesync.core.transport.TransportConfig;

/**
 * What the hub and its members refuse, and what the hub pushes, with real processes: one hub,
 * a registered authority A, a joiner B and an outsider C, all with anti-entropy every 10
 * minutes, so whatever arrives within a test's deadline arrived by push.
 *
 * <p>Run: see {@link HubStoreAndForwardIT}.
 */
class HubRefusalIT {
    /** Anti-entropy rarer than any deadline here. */
    private static final String ANTI_ENTROPY = "SAVESYNC_ANTI_ENTROPY_INTERVAL";
    private static final String TEN_MINUTES = "10m";
    /** The deadline of a member-list change reaching a member by push. */
    private static final Duration PUSH_DEADLINE = Duration.ofSeconds(30);
    /** How often the push step asks A for its members. */
    private static final Duration MEMBER_POLL = Duration.ofMillis(20);
    /** How long a refused dial may take (handshake and refusal on loopback). */
    private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    /**
     * In order, reusing the processes: B joins through a hub ticket and A hears of it by push
     * (the latency is printed for the bench); bad, expired, revoked and reused hub tickets are refused
     * by {@code savesync join}; an outsider dialling the member protocol of the hub and of A is
     * refused; an agent without, then with a wrong enrollment token cannot register its group.
     */
    @Test
    void hubRefusesOutsidersAndPushesNewMembers() throws Exception {
        HubProcess hub = env.hub("hub").withEnv(ANTI_ENTROPY, TEN_MINUTES).start();
        AgentProcess a = env.agent("a").withHub(hub.address(), hub.enrollmentToken()).withEnv(ANTI_ENTROPY, TEN_MINUTES);
        AgentProcess b = env.agent("b").withEnv(ANTI_ENTROPY, TEN_MINUTES);
        AgentProcess c = env.agent("c").withHub(hub.address(), null).withEnv(ANTI_ENTROPY, TEN_MINUTES);
        TreeBuilder.at(a.folder()).file("from-a.txt", "from A\n");
        a.start();
        b.start();
        c.start();
        String group = HubSteps.createGroup(a, "team");
        HubSteps.awaitRegistered(a, hub, group);
        // The shortest invite the hub makes lives a minute: made now, tried once the rest is done.
        String shortLived = HubSteps.hubTicket(a, hub, group, "--expires", "1m");
        long expiresAt = Ticket.parse(shortLived).expiresAtMillis();

        // Push: B joins through the hub; A, which anti-entropy would tell only in 10 minutes, learns at once.
        String ticket = HubSteps.hubTicket(a, hub, group);
        String bId = b.api().status().path("nodeId").asText();
        assertThat(HubSteps.members(a, group)).doesNotContain(bId);
        CompletableFuture<Long> aListsB = CompletableFuture.supplyAsync(() -> firstSeenMillis(a, group, bId));
        HubSteps.join(b, ticket, group);
        long seenAt;
        try {
            seenAt = aListsB.get(PUSH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("A does not list B as a member " + PUSH_DEADLINE + " after B joined (anti-entropy"
                    + " runs every " + TEN_MINUTES + ": only a push can tell A in time)", e);
        }
        long admittedAt = addedAtMillis(hub, group, bId);
        System.out.println("push-latency-ms=" + (seenAt - admittedAt) + " (from the hub admitting B to A's API listing"
                + " it; polled every " + MEMBER_POLL.toMillis() + " ms)");

        // Tickets that `savesync join` refuses, each with what to do and a non-zero exit.
        Path cFolder = c.folder();
        assertJoinRefused(c, ticket, "the group's authority refused the join: this single-use invite was already used;"
                + " ask a member for a new one");
        Ticket real = Ticket.parse(ticket);
        String forged = new Ticket(real.group(), real.groupName(), real.authority(), real.addresses(),
                InviteToken.random(), real.expiresAtMillis()).text();
        assertJoinRefused(c, forged, "not known");
        CliResult garbage = c.cli("join", Ticket.PREFIX + "-not-a-ticket", "--dir", cFolder.toString());
        assertThat(garbage.exitCode()).as(garbage.toString()).isNotZero();
        assertThat(garbage.stderr()).as(garbage.toString()).containsIgnoringCase("ticket").doesNotContain("Exception");
        // An invite an administrator revoked (savesync-server admin, over gRPC) before it was used.
        CliResult made = hub.admin("invites", "create", group).ok();
        String revokedTicket = made.lastLine();
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("invite ([a-z2-7]+):").matcher(made.stderr());
        assertThat(id.find()).as(made.toString()).isTrue();
        hub.admin("invites", "revoke", group, id.group(1)).ok();
        assertJoinRefused(c, revokedTicket, "the group's authority refused the join: this invite was revoked");

        // An outsider (a fresh key) on the member protocol of the hub and of A.
        String aId = a.api().status().path("nodeId").asText();
        assertOutsiderRefused(hub.address().substring(0, hub.address().indexOf('#')), hub.nodeId());
        assertOutsiderRefused(a.quicAddress(), aId);

        // C runs with --hub but no enrollment token: its own group is refused, the hub does not take it.
        TreeBuilder.at(env.testDir().resolve("c-own")).file("c.txt", "C's own\n");
        String cGroup = c.cli("group", "create", "c-own", "--dir", env.testDir().resolve("c-own").toString()).ok()
                .lastLine();
        assertRegistrationRefused(c, hub, cGroup, "not enrolled");
        c.stop();
        c.withHub(hub.address(), "not-the-hubs-token").start();
        assertRegistrationRefused(c, hub, cGroup, "not the hub's");
        assertThat(HubSteps.registration(a, group)).as("A's registration stands").isEqualTo("registered");

        await("the 1 min ticket has expired").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> System.currentTimeMillis() > expiresAt + 500);
        assertJoinRefused(c, shortLived, "expired"); // the joiner sees the expiry in the ticket
        Ticket expired = Ticket.parse(shortLived);
        String claimsLater = new Ticket(expired.group(), expired.groupName(), expired.authority(), expired.addresses(),
                expired.token(), System.currentTimeMillis() + 3_600_000).text();
        // the hub, whatever the ticket claims
        assertJoinRefused(c, claimsLater, "this invite expired at " + java.time.Instant.ofEpochMilli(expiresAt));
        assertThat(c.api().get("/groups").toString()).as("refused joins leave no group of A's on C")
                .doesNotContain(group);
        assertThat(hub.api().members(group).toString()).as("C never became a member")
                .doesNotContain(c.api().status().path("nodeId").asText());
    }

    /** Polls A's members until {@code node} is one; returns the wall-clock time it was first seen (ms). */
    private static long firstSeenMillis(AgentProcess a, String group, String node) {
        long giveUp = System.nanoTime() + E2EEnvironment.CLI_TIMEOUT.plus(PUSH_DEADLINE).toNanos();
        while (System.nanoTime() < giveUp) {
            if (HubSteps.members(a, group).contains(node)) {
                return System.currentTimeMillis();
            }
            LockSupport.parkNanos(MEMBER_POLL.toNanos());
        }
        throw new IllegalStateException("gave up waiting for A to list " + node);
    }

    /** When the hub added {@code node} to the group's member list (its {@code addedAt}), in ms since the epoch. */
    private static long addedAtMillis(HubProcess hub, String group, String node) {
        for (JsonNode m : hub.api().members(group)) {
            if (m.path("nodeId").asText().equals(node)) {
                JsonNode at = m.path("addedAt");
                return at.isNumber() ? Math.round(at.asDouble() * 1000) : Instant.parse(at.asText()).toEpochMilli();
            }
        }
        throw new AssertionError("the hub's member list of " + group + " lacks " + node + ": " + hub.api().members(group));
    }

    /**
     * {@code savesync join TICKET --dir NEW} on {@code joiner} fails, non-zero, saying {@code why} on stderr, the
     * refusal said once; the folder NEW (and its parent), which did not exist before, does not exist afterwards.
     */
    private static void assertJoinRefused(AgentProcess joiner, String ticket, String why) {
        Path parent = joiner.folder().resolveSibling(joiner.name() + "-refused-" + System.nanoTime());
        Path dir = parent.resolve("folder");
        CliResult r = joiner.cli("join", ticket, "--dir", dir.toString());
        assertThat(r.exitCode()).as("join with a ticket that is %s: %s", why, r).isNotZero();
        assertThat(r.stderr()).as(r.toString()).contains(why).doesNotContain("Exception");
        assertThat(r.stderr().split("refused", -1)).as("the refusal is said once: %s", r.stderr()).hasSizeLessThanOrEqualTo(2);
        assertThat(dir).as("a refused join leaves no folder behind: %s", r).doesNotExist();
        assertThat(parent).as("nor the parent it created").doesNotExist();
    }

    /** A fresh key dialling {@code address} on the member ALPN is refused as a non-member by {@code nodeId}. */
    private static void assertOutsiderRefused(String address, String nodeId) throws Exception {
        InetSocketAddress target = QuicNetwork.parseAddress(address);
        AtomicReference<Object> accepted = new AtomicReference<>();
        try (QuicEndpoint outsider = QuicEndpoint.start(NodeKey.generate(), new InetSocketAddress("127.0.0.1", 0),
                TransportConfig.defaults(), id -> false, accepted::set)) {
            Throwable t = catchThrowable(() -> outsider.dial(target, NodeId.parse(nodeId),
                    Alpn.MEMBER).get(DIAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(t).as("an outsider dialling %s on %s", address, Alpn.MEMBER).isInstanceOf(ExecutionException.class);
            assertThat(t.getCause()).isInstanceOfSatisfying(PeerRefusedException.class, e -> {
                assertThat(e.notAMember()).as(e.getMessage()).isTrue();
                assertThat(e.peer().toString()).isEqualTo(nodeId);
            });
            assertThat(accepted.get()).as("nothing dialled the outsider back").isNull();
        }
    }

    /** The agent's status shows the hub's refusal of {@code group}, and the hub does not list it. */
    private static void assertRegistrationRefused(AgentProcess agent, HubProcess hub, String group, String why) {
        await("the hub refuses " + agent.name() + "'s group " + group).atMost(HubSteps.REGISTER_TIMEOUT)
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    String state = HubSteps.registration(agent, group);
                    return state != null && state.startsWith("refused");
                });
        assertThat(HubSteps.registration(agent, group)).contains(why);
        assertThat(hub.api().group(group)).as("the hub's /api/v1/groups lists the refused group").isNull();
        assertThat(agent.api().get("/groups")).filteredOn(g -> g.path("id").asText().equals(group))
                .singleElement().as("the agent stays its group's authority")
                .satisfies(g -> assertThat(g.path("authorityIs").asText()).isEqualTo("this-node"));
    }
}
