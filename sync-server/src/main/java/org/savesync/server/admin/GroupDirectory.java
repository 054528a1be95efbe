package org.savesync.server.admin;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.Role;
import org.savesync.server.persistence.NodeRecord;
import org.savesync.server.persistence.NodeRegistry;

/**
 * The groups, members and nodes as both admin APIs show them (read only), from {@link
 * ReplicaViews} and the {@link NodeRegistry}.
 */
@ApplicationScoped
public class GroupDirectory {
    private final ReplicaViews views;
    private final NodeRegistry registry;

    GroupDirectory(ReplicaViews views, NodeRegistry registry) {
        this.views = views;
        this.registry = registry;
    }

    /** Every group the hub replicates, by group id. */
    public List<GroupSummary> groups() {
        return views.groupIds().stream().map(views::state).map(GroupDirectory::summary).toList();
    }

    /** One group; NOT_FOUND when the hub does not hold it. */
    public GroupSummary group(GroupId group) {
        return summary(views.state(group));
    }

    private static GroupSummary summary(ReplicaViews.GroupState g) {
        long files = g.files();
        long complete = g.filesComplete();
        return new GroupSummary(g.id().toString(), g.info().name(), g.info().authority().toString(),
                g.members().members().size(), g.members().version(), g.entries(), files, g.bytes(), g.bytesStored(),
                complete, files - complete);
    }

    /** The members of a group's current member list, with presence and what they hold; NOT_FOUND for an unknown group. */
    public List<MemberView> members(GroupId group) {
        ReplicaViews.GroupState g = views.state(group);
        Map<NodeId, NodeRecord> known = registry.nodes().stream().collect(Collectors.toMap(NodeRecord::id, n -> n));
        return g.members().members().stream().map(m -> member(g, m, known.get(m.id()))).toList();
    }

    private MemberView member(ReplicaViews.GroupState g, Member m, NodeRecord node) {
        boolean upToDate = views.upToDate(g.id(), m.id());
        Long held = m.role() == Role.HUB ? Long.valueOf(g.bytesStored()) : upToDate ? Long.valueOf(g.bytes()) : null;
        return new MemberView(m.id().toString(), m.name(), m.role().name(), Instant.ofEpochMilli(m.addedAtMillis()),
                views.lastSeen(m.id(), node == null ? null : node.lastSeen()), views.online(m.id()), upToDate, held);
    }

    /** Every node the hub knows (enrolled, or a member of a group), by node id. */
    public List<NodeView> nodes() {
        Map<NodeId, NodeRecord> known = new TreeMap<>();
        registry.nodes().forEach(n -> known.put(n.id(), n));
        Map<NodeId, List<String>> groupsOf = new TreeMap<>();
        Map<NodeId, String> memberNames = new TreeMap<>();
        for (NodeRegistry.Membership m : registry.memberships()) {
            groupsOf.computeIfAbsent(m.node(), n -> new ArrayList<>()).add(m.group().toString());
            memberNames.putIfAbsent(m.node(), m.name());
        }
        Set<NodeId> all = new TreeSet<>(known.keySet());
        all.addAll(groupsOf.keySet());
        List<NodeView> out = new ArrayList<>(all.size());
        for (NodeId id : all) {
            NodeRecord n = known.get(id);
            String name = n != null && n.name() != null ? n.name() : memberNames.get(id);
            List<String> groups = groupsOf.getOrDefault(id, List.of());
            boolean self = views.self(id);
            List<String> addresses = self ? views.hubAddresses() : n == null ? List.of() : n.addresses();
            out.add(new NodeView(id.toString(), name, self, self || n != null && n.enrolled() && !n.revoked(),
                    n == null ? null : n.enrolledAt(), views.lastSeen(id, n == null ? null : n.lastSeen()),
                    views.online(id), groups, addresses));
        }
        return out;
    }
}
