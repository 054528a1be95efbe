package org.savesync.server.cli.admin;

import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import org.savesync.server.grpc.v1.GroupAdminGrpc;
import org.savesync.server.grpc.v1.HubEvent;
import org.savesync.server.grpc.v1.HubEventKind;
import org.savesync.server.grpc.v1.WatchEventsRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code events [--follow] [--count N] [--group GROUP]}: the hub's live events (WatchEvents). With
 * --follow until Ctrl-C; otherwise until {@code --count} events (default 1) have come. Keepalives
 * are not printed; the SUBSCRIBED event is printed on standard error ("following events ..."),
 * so a script knows from when on nothing is missed.
 */
@Command(name = "events", description = "The hub's live events: joins, leaves, removals, registrations,"
        + " enrollments, conflicts, files stored")
final class AdminEvents extends AdminCommand.AdminCall {
    @Option(names = "--follow", description = "follow until Ctrl-C")
    boolean follow;

    @Option(names = "--count", paramLabel = "N", description = "stop after N events (default 1; ignored with --follow)")
    int count = 1;

    @Option(names = "--group", paramLabel = "GROUP", description = "only this group's events")
    String group = "";

    @Override
    void run(ManagedChannel c, Output out) {
        var it = GroupAdminGrpc.newBlockingStub(c).watchEvents(WatchEventsRequest.newBuilder().setGroupId(group)
                .build());
        int seen = 0;
        while (it.hasNext() && (follow || seen < count)) {
            HubEvent e = it.next();
            if (e.getKind() == HubEventKind.HUB_EVENT_KIND_KEEPALIVE) {
                continue;
            }
            if (e.getKind() == HubEventKind.HUB_EVENT_KIND_SUBSCRIBED) {
                err().println("following events" + (group.isEmpty() ? "" : " of group " + group) + " on " + hub.address()
                        + (follow ? " (Ctrl-C stops)" : ""));
                err().flush();
                continue;
            }
            out.line(e, w -> human(w, e));
            seen++;
        }
        if (!follow && seen < count) {
            throw new AdminCliException("the hub ended the event stream after " + seen + " of " + count + " events");
        }
    }

    static void human(PrintWriter w, HubEvent e) {
        StringBuilder b = new StringBuilder(Output.time(e.hasAt(), e.getAt())).append("  ")
                .append(e.getKind().name().replace("HUB_EVENT_KIND_", ""));
        if (!e.getGroupId().isEmpty()) {
            b.append("  group=").append(e.getGroupId());
        }
        if (!e.getNodeId().isEmpty()) {
            b.append("  node=").append(e.getNodeId());
        }
        if (!e.getName().isEmpty()) {
            b.append("  name=").append(e.getName());
        }
        if (!e.getPath().isEmpty()) {
            b.append("  path=").append(e.getPath());
        }
        if (!e.getOtherNodeId().isEmpty()) {
            b.append("  other=").append(e.getOtherNodeId());
        }
        if (e.getCount() != 0) {
            b.append(e.getKind() == HubEventKind.HUB_EVENT_KIND_EVENTS_DROPPED ? "  dropped=" : "  bytes=")
                    .append(e.getCount());
        }
        w.println(b);
    }
}
