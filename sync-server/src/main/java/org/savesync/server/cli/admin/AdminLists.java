package org.savesync.server.cli.admin;

import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import org.savesync.server.grpc.v1.AuditEvent;
import org.savesync.server.grpc.v1.AuditLogGrpc;
import org.savesync.server.grpc.v1.Enrollment;
import org.savesync.server.grpc.v1.Group;
import org.savesync.server.grpc.v1.GroupAdminGrpc;
import org.savesync.server.grpc.v1.ListAuditEventsRequest;
import org.savesync.server.grpc.v1.ListAuditEventsResponse;
import org.savesync.server.grpc.v1.ListEnrollmentsRequest;
import org.savesync.server.grpc.v1.ListGroupsRequest;
import org.savesync.server.grpc.v1.ListMembersRequest;
import org.savesync.server.grpc.v1.ListNodesRequest;
import org.savesync.server.grpc.v1.ListNodesResponse;
import org.savesync.server.grpc.v1.Member;
import org.savesync.server.grpc.v1.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The admin subcommands that read: groups, members, nodes, enrollments, audit. */
final class AdminLists {
    /** Unary calls give up after this long. */
    static final long DEADLINE_SECONDS = 30;

    private AdminLists() {
    }

    static GroupAdminGrpc.GroupAdminBlockingStub groups(ManagedChannel c) {
        return GroupAdminGrpc.newBlockingStub(c).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    @Command(name = "groups", description = "Every group the hub holds: id, name, members, files, bytes stored")
    static final class Groups extends AdminCommand.AdminCall {
        @Override
        void run(ManagedChannel c, Output out) {
            var answer = groups(c).listGroups(ListGroupsRequest.getDefaultInstance());
            out.print(answer, w -> {
                w.printf("%-26s  %-20s  %7s  %7s  %14s%n", "GROUP", "NAME", "MEMBERS", "FILES", "BYTES STORED");
                for (Group g : answer.getGroupsList()) {
                    w.printf("%-26s  %-20s  %7d  %7d  %14d%n", g.getId(), g.getName(), g.getMembers(), g.getFiles(),
                            g.getBytesStored());
                }
            });
        }
    }

    @Command(name = "members", description = "The members of a group: node, name, role, online, up to date")
    static final class Members extends AdminCommand.AdminCall {
        @Parameters(paramLabel = "GROUP", description = "the group id (see `groups`)")
        String group;

        @Override
        void run(ManagedChannel c, Output out) {
            var answer = groups(c).listMembers(ListMembersRequest.newBuilder().setGroupId(group).build());
            out.print(answer, w -> {
                w.printf("%-52s  %-16s  %-6s  %-7s  %s%n", "NODE", "NAME", "ROLE", "ONLINE", "UP TO DATE");
                for (Member m : answer.getMembersList()) {
                    w.printf("%-52s  %-16s  %-6s  %-7s  %s%n", m.getNodeId(), Output.orDash(m.getName()),
                            m.getRole().name().replace("MEMBER_ROLE_", ""), m.getOnline() ? "yes" : "no",
                            m.getUpToDate() ? "yes" : "no");
                }
            });
        }
    }

    @Command(name = "nodes", description = "Every node the hub knows (or those on GROUP's member list): node, name,"
            + " enrolled, online, last seen, groups")
    static final class Nodes extends AdminCommand.AdminCall {
        @Parameters(paramLabel = "GROUP", arity = "0..1", description = "only the nodes of this group")
        String group;

        @Override
        void run(ManagedChannel c, Output out) {
            var all = groups(c).listNodes(ListNodesRequest.getDefaultInstance());
            var answer = group == null ? all : ListNodesResponse.newBuilder().addAllNodes(all.getNodesList().stream()
                    .filter(n -> n.getGroupsList().contains(group)).toList()).build();
            out.print(answer, w -> {
                w.printf("%-52s  %-16s  %-8s  %-6s  %-27s  %s%n", "NODE", "NAME", "ENROLLED", "ONLINE", "LAST SEEN",
                        "GROUPS");
                for (Node n : answer.getNodesList()) {
                    w.printf("%-52s  %-16s  %-8s  %-6s  %-27s  %s%n", n.getNodeId(), Output.orDash(n.getName())
                                    + (n.getHub() ? " (hub)" : ""), n.getEnrolled() ? "yes" : "no",
                            n.getOnline() ? "yes" : "no", Output.time(n.hasLastSeen(), n.getLastSeen()),
                            String.join(",", n.getGroupsList()));
                }
            });
        }
    }

    @Command(name = "enrollments", description = "The nodes enrolled with the hub: node, name, enrolled at, last"
            + " seen, revoked, groups")
    static final class Enrollments extends AdminCommand.AdminCall {
        @Override
        void run(ManagedChannel c, Output out) {
            var answer = groups(c).listEnrollments(ListEnrollmentsRequest.getDefaultInstance());
            out.print(answer, w -> {
                w.printf("%-52s  %-16s  %-27s  %-27s  %-7s  %s%n", "NODE", "NAME", "ENROLLED AT", "LAST SEEN",
                        "REVOKED", "GROUPS");
                for (Enrollment e : answer.getEnrollmentsList()) {
                    w.printf("%-52s  %-16s  %-27s  %-27s  %-7s  %s%n", e.getNodeId(), Output.orDash(e.getName()),
                            Output.time(e.hasEnrolledAt(), e.getEnrolledAt()),
                            Output.time(e.hasLastSeen(), e.getLastSeen()), e.getRevoked() ? "yes" : "no",
                            String.join(",", e.getGroupsList()));
                }
            });
        }
    }

    @Command(name = "audit", description = "The audit log, newest first: time, actor, action, group, node")
    static final class Audit extends AdminCommand.AdminCall {
        @Option(names = "--group", paramLabel = "GROUP", description = "only this group's events")
        String group = "";

        @Option(names = "--actor", paramLabel = "WHO", description = "only this actor's events")
        String actor = "";

        @Option(names = "--action", paramLabel = "ACTION", description = "only this action (e.g. retention.set)")
        String action = "";

        @Option(names = "--limit", paramLabel = "N", description = "events per page, 1..500 (default 100)")
        int limit = 100;

        @Option(names = "--all", description = "every page, not only the first")
        boolean all;

        @Override
        void run(ManagedChannel c, Output out) {
            var stub = AuditLogGrpc.newBlockingStub(c);
            var req = ListAuditEventsRequest.newBuilder().setGroup(group).setActor(actor).setAction(action)
                    .setLimit(limit);
            var answer = ListAuditEventsResponse.newBuilder();
            String cursor = "";
            do {
                var page = stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .listAuditEvents(req.setCursor(cursor).build());
                answer.addAllEvents(page.getEventsList()).setNextCursor(page.getNextCursor());
                cursor = page.getNextCursor();
            } while (all && !cursor.isEmpty());
            out.print(answer, w -> {
                w.printf("%-27s  %-20s  %-24s  %-26s  %s%n", "AT", "ACTOR", "ACTION", "GROUP", "NODE");
                for (AuditEvent e : answer.getEventsList()) {
                    w.printf("%-27s  %-20s  %-24s  %-26s  %s%n", Output.time(e.hasAt(), e.getAt()), e.getActor(),
                            e.getAction(), Output.orDash(e.getGroupId()), Output.orDash(e.getNodeId()));
                }
                if (!answer.getNextCursor().isEmpty()) {
                    w.println("(more: --all, or narrow with --group/--actor/--action)");
                }
            });
        }
    }
}
