package org.savesync.agent.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.savesync.agent.hub.HubStatus;
import org.savesync.agent.service.AgentService;
import org.savesync.agent.service.ApiProblem;
import org.savesync.agent.service.ProgressReporter;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.TransportStats;

/** The local HTTP API (see {@link ApiGuard} for who may call it). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentResource {
    /** How long an invite lasts unless the request says otherwise. */
    static final Duration DEFAULT_INVITE_TTL = Duration.ofHours(24);

    private final AgentService agent;

    AgentResource(AgentService agent) {
        this.agent = agent;
    }

    /**
     * The engine's counters, and the transport's for bulk data: payload bytes of chunk frames sent and received over
     * the TLS-over-TCP bulk lane ({@code Tcp}) or over QUIC streams ({@code Quic}), and lanes bound so far.
     */
    public record Counters(long entriesPublished, long entriesReceived, long bytesHashed, long chunkBytesServed,
                           long chunkBytesFetched, long chunkBytesReused, long chunkBytesResumed, long filesMaterialised,
                           long conflictCopies, long refusals, long bulkBytesSentTcp, long bulkBytesSentQuic,
                           long bulkBytesReceivedTcp, long bulkBytesReceivedQuic, long bulkLanesBound) {
        static Counters of(EngineStats s, TransportStats t) {
            return new Counters(s.entriesPublished.sum(), s.entriesReceived.sum(), s.bytesHashed.sum(),
                    s.chunkBytesServed.sum(), s.chunkBytesFetched.sum(), s.chunkBytesReused.sum(),
                    s.chunkBytesResumed.sum(), s.filesMaterialised.sum(), s.conflictCopies.sum(), s.refusalsTotal(),
                    t.bulkBytesSentTcp(), t.bulkBytesSentQuic(), t.bulkBytesReceivedTcp(), t.bulkBytesReceivedQuic(),
                    t.lanesBound());
        }
    }

    /** {@code hub} only when a hub is configured. */
    public record Status(String nodeId, List<String> addresses, long uptimeSeconds, boolean inSync,
                         List<ProgressReporter.GroupState> groups, Counters counters,
                         @JsonInclude(JsonInclude.Include.NON_NULL) HubStatus hub) {
    }

    @GET
    @Path("status")
    public ApiResponse status() {
        SyncEngine e = agent.engine();
        List<ProgressReporter.GroupState> groups = e.groups().stream().map(agent.progress()::state).toList();
        return ApiResponse.ok(new Status(e.nodeId().toString(), e.listenAddresses(), agent.uptime().toSeconds(),
                groups.stream().filter(g -> !ProgressReporter.REMOVED.equals(g.state()))
                        .allMatch(ProgressReporter.GroupState::inSync), groups, Counters.of(e.stats(), agent.transportStats()),
                agent.hubStatus().orElse(null)));
    }

    @GET
    @Path("peers")
    public ApiResponse peers() {
        SyncEngine e = agent.engine();
        return ApiResponse.ok(PeerRows.of(e.connectedPeers(), e.groups(), agent.hubNode()));
    }

    /** {@code authorityIs}: {@code this-node}, {@code hub} (the configured hub) or {@code other}. */
    public record GroupSummary(String id, String name, String folder, String authority, String authorityIs,
                               int members) {
        static GroupSummary of(GroupHandle g, AgentService agent) {
            var authority = g.authority();
            return new GroupSummary(g.id().toString(), g.name(), g.folder().toString(), authority.toString(),
                    agent.authorityKind(authority), g.members().members().size());
        }
    }

    @GET
    @Path("groups")
    public ApiResponse groups() {
        return ApiResponse.ok(agent.engine().groups().stream().map(g -> GroupSummary.of(g, agent)).toList());
    }

    public record CreateGroup(String name, String dir) {
    }

    @POST
    @Path("groups")
    public ApiResponse create(CreateGroup req) {
        if (req == null) {
            throw new ApiProblem.BadRequest("send {\"name\":…,\"dir\":…}");
        }
        return ApiResponse.ok(GroupSummary.of(agent.createGroup(req.name(), req.dir()), agent));
    }

    public record MemberView(String nodeId, String name, String role, long addedAtMillis, boolean connected) {
    }

    /** {@code hub}: the group's registration with the hub, only when a hub is configured. */
    /** {@code secretEpoch}: the epoch of the group secret this agent holds (it goes up with every removal or leave). */
    public record GroupDetail(GroupSummary group, ProgressReporter.GroupState state, List<MemberView> members,
                              long secretEpoch,
                              @JsonInclude(JsonInclude.Include.NON_NULL) HubStatus.GroupRegistration hub) {
    }

    @GET
    @Path("groups/{id}")
    public ApiResponse group(@PathParam("id") String id) {
        GroupHandle g = agent.group(id);
        var connected = agent.engine().connectedPeers().stream().map(SyncEngine.PeerLink::node).toList();
        List<MemberView> members = g.members().members().stream().map((Member m) -> new MemberView(m.id().toString(),
                m.name(), m.role().name().toLowerCase(), m.addedAtMillis(),
                m.id().equals(agent.engine().nodeId()) || connected.contains(m.id()))).toList();
        return ApiResponse.ok(new GroupDetail(GroupSummary.of(g, agent), agent.progress().state(g), members,
                g.secretEpoch(), agent.hubRegistration(g).orElse(null)));
    }

    @DELETE
    @Path("groups/{id}")
    public ApiResponse leave(@PathParam("id") String id) {
        String told = agent.leave(id);
        return ApiResponse.ok(Map.of("left", id, "authority", told));
    }

    /**
     * {@code reusable}: for more than one joiner ({@code uses} of them, default 100); {@code uses}
     * alone (more than 1) makes it reusable too; {@code readOnly}: the joiners become READERs,
     * whose changes every member refuses.
     */
    public record InviteRequest(Long expiresSeconds, Boolean reusable, Integer uses, Boolean readOnly) {
    }

    /** {@code authority}: the node that made the ticket and admits its joiner; {@code authorityIs} as in {@link GroupSummary}. */
    public record InviteView(String ticket, String group, long expiresAtMillis, boolean reusable, String authority,
                             String authorityIs, String role, int maxUses) {
    }

    @POST
    @Path("groups/{id}/invite")
    public ApiResponse invite(@PathParam("id") String id, InviteRequest req) {
        Duration ttl = req == null || req.expiresSeconds() == null ? DEFAULT_INVITE_TTL
                : Duration.ofSeconds(req.expiresSeconds());
        boolean reusable = req != null && Boolean.TRUE.equals(req.reusable());
        Integer uses = req == null ? null : req.uses();
        var role = req != null && Boolean.TRUE.equals(req.readOnly()) ? org.savesync.core.membership.Role.READER
                : org.savesync.core.membership.Role.MEMBER;
        Ticket t = agent.invite(id, ttl, reusable, uses, role);
        int maxUses = uses != null ? uses : reusable ? org.savesync.core.membership.InviteSpec.DEFAULT_REUSABLE_USES : 1;
        return ApiResponse.ok(new InviteView(t.text(), id, t.expiresAtMillis(), maxUses > 1, t.authority().toString(),
                agent.authorityKind(t.authority()), role.name(), maxUses));
    }

    @POST
    @Path("groups/{id}/scan")
    public ApiResponse scan(@PathParam("id") String id) {
        agent.scan(id);
        return ApiResponse.ok(agent.progress().state(agent.group(id)));
    }

    @POST
    @Path("shutdown")
    public ApiResponse shutdown() {
        System.out.println("agent: stop requested through the local API");
        // Answer first, then stop: asyncExit runs the shutdown (engine, store) on another thread.
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)
                .execute(() -> io.quarkus.runtime.Quarkus.asyncExit(0));
        return ApiResponse.ok(Map.of("stopping", true));
    }

    public record JoinRequest(String ticket, String dir) {
    }

    @POST
    @Path("join")
    public ApiResponse join(JoinRequest req) {
        if (req == null) {
            throw new ApiProblem.BadRequest("send {\"ticket\":…,\"dir\":…}");
        }
        return ApiResponse.ok(GroupSummary.of(agent.join(req.ticket(), req.dir()), agent));
    }
}
