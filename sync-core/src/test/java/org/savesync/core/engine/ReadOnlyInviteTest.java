package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.InMemoryIndexStore;
import org.savesync.core.membership.InviteSpec;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.Ticket;
import org.savesync.core.protocol.Message;
import org.savesync.core.stats.EngineStats.Refusal;

/**
 * Controlled invites over real QUIC on loopback, with a hub as the authority: a member asks
 * the hub for a read-only invite; the READER it admits receives the folder, but what it writes
 * is refused by the hub and by the other members (counted as READ_ONLY, nothing stored, the
 * writers' files unchanged), and it may not invite anyone. A reusable invite a member asked for
 * stops at its limit.
 */
class ReadOnlyInviteTest {
    private static final Duration WAIT = HubAndAgents.WAIT;

    @TempDir
    Path tmp;

    @Test
    void aReaderReceivesFilesAndItsChangesAreRefusedByTheHubAndByPeers() throws Exception {
        try (HubAndAgents c = new HubAndAgents(tmp, 2)) {
            SyncEngine writer = c.agents.get(0);
            SyncEngine peer = c.agents.get(1);
            Path writerFile = c.folders.get(0).resolve("notes.txt");
            Files.writeString(writerFile, "the writer's words");
            c.handle(writer).scan().get(60, TimeUnit.SECONDS);

            // A member (not the group's creator) asks the hub for a read-only invite.
            Ticket ticket = peer.requestInvite(c.group, InviteSpec.singleUse(Duration.ofHours(1), Role.READER, "ignored"))
                    .get(60, TimeUnit.SECONDS);
            assertThat(c.hub.invites(c.group)).anySatisfy(i -> {
                assertThat(i.role()).isEqualTo(Role.READER);
                assertThat(i.createdBy()).as("the authority records who asked").isEqualTo(InviteSpec.byNode(peer.nodeId()));
            });
            SyncEngine reader = c.newAgent("reader");
            Path readerFolder = tmp.resolve("reader");
            reader.join(ticket, readerFolder).get(60, TimeUnit.SECONDS);
            NodeId rid = reader.nodeId();
            for (SyncEngine e : c.all()) {
                Awaitility.await().atMost(WAIT).until(() -> c.handle(e).members().member(rid)
                        .map(m -> m.role() == Role.READER).orElse(false));
            }
            Path readerCopy = readerFolder.resolve("notes.txt");
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(readerCopy)
                    && Files.readString(readerCopy).equals("the writer's words"));

            long hubRefused = c.hub.stats().refusals(Refusal.READ_ONLY);
            long writerRefused = writer.stats().refusals(Refusal.READ_ONLY);
            long peerRefused = peer.stats().refusals(Refusal.READ_ONLY);
            Files.writeString(readerCopy, "the reader's edit");
            Files.writeString(readerFolder.resolve("mine.txt"), "the reader's own file");
            c.handle(reader).scan().get(60, TimeUnit.SECONDS);

            Awaitility.await().atMost(WAIT).until(() -> c.hub.stats().refusals(Refusal.READ_ONLY) > hubRefused
                    && writer.stats().refusals(Refusal.READ_ONLY) > writerRefused
                    && peer.stats().refusals(Refusal.READ_ONLY) > peerRefused);
            var hubIndex = (InMemoryIndexStore) c.hubStores.open(c.group);
            assertThat(hubIndex.paths().stream().flatMap(p -> hubIndex.entriesForPath(p).stream()))
                    .as("the hub stored nothing of the reader's").noneMatch(e -> e.entry().author().equals(rid));
            for (SyncEngine e : c.all()) {
                assertThat(c.handle(e).knowledge().get(rid)).as("%s knows no entry of the reader", e.nodeId()).isZero();
            }
            for (Path folder : c.folders) {
                assertThat(Files.readString(folder.resolve("notes.txt"))).isEqualTo("the writer's words");
                assertThat(folder.resolve("mine.txt")).doesNotExist();
            }

            Throwable asked = catchThrowable(() -> reader.requestInvite(c.group, Duration.ofHours(1), true)
                    .get(60, TimeUnit.SECONDS));
            assertThat(asked).hasRootCauseMessage("the group's authority refused a ticket: readers may not invite others");
        }
    }

    @Test
    void aReusableInviteAskedOfTheHubStopsAtItsLimit() throws Exception {
        try (HubAndAgents c = new HubAndAgents(tmp, 1)) {
            Ticket ticket = c.agents.getFirst().requestInvite(c.group,
                    InviteSpec.reusable(Duration.ofHours(1), 2, Role.MEMBER, "ignored")).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 2; i++) {
                c.newAgent("j" + i).join(ticket, tmp.resolve("j" + i)).get(60, TimeUnit.SECONDS);
            }
            assertThat(c.hub.invites(c.group)).as("used up: no longer listed").isEmpty();
            Throwable third = catchThrowable(() -> c.newAgent("j2").join(ticket, tmp.resolve("j2")).get(60, TimeUnit.SECONDS));
            assertThat(third).rootCause().hasMessageContaining("this invite reached its limit of 2 uses");

            // A member's request outside the bounds is refused with why, never made into something else.
            SyncEngine member = c.agents.getFirst();
            long refused = c.hub.stats().refusals(Refusal.TICKET_REFUSED);
            assertTicketRefused(c, member, new Message.TicketRequest(c.group, 3600, 1, Role.OWNER), "not OWNER");
            assertTicketRefused(c, member, new Message.TicketRequest(c.group, 3600, 1, Role.HUB), "not HUB");
            assertTicketRefused(c, member, new Message.TicketRequest(c.group, 3600, 10_001, Role.MEMBER),
                    "1 to 10000 joiners");
            assertTicketRefused(c, member, new Message.TicketRequest(c.group, 59, 1, Role.MEMBER),
                    "between 1 minute and 30 days");
            assertTicketRefused(c, member, new Message.TicketRequest(c.group, Long.MAX_VALUE, 1, Role.MEMBER),
                    "between 1 minute and 30 days");
            assertThat(c.hub.stats().refusals(Refusal.TICKET_REFUSED)).isEqualTo(refused + 5);
            assertThat(c.hub.invites(c.group)).as("none of them was made").isEmpty();
        }
    }

    private static void assertTicketRefused(HubAndAgents c, SyncEngine member, Message.TicketRequest req, String why)
            throws Exception {
        Message m = member.network().ask(HubAndAgents.address(c.hub), c.hub.nodeId(), req).get(60, TimeUnit.SECONDS);
        assertThat(m).isInstanceOfSatisfying(Message.TicketResponse.class, r -> {
            assertThat(r.accepted()).isFalse();
            assertThat(r.error()).contains(why);
        });
    }
}
