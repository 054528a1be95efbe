package org.savesync.agent.service;

import java.util.Optional;
import java.util.Set;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.engine.PeerLag;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.Member;

/**
 * Whether the members of a group that are connected right now agree with this node: each
 * last reported holding exactly what this node holds. A group is in sync only then.
 */
final class MemberAgreement {
    private MemberAgreement() {
    }

    /** The first connected member that does not agree, as the status reason; empty when all agree. */
    static Optional<String> firstDifference(GroupHandle g, Set<NodeId> connected, NodeId self) {
        for (Member m : g.members().members()) {
            if (m.id().equals(self) || !connected.contains(m.id())) {
                continue;
            }
            String who = m.role().name().toLowerCase(java.util.Locale.ROOT) + " " + shown(m);
            Optional<PeerLag> lag = g.lagOf(m.id());
            if (lag.isEmpty()) {
                return Optional.of(who + " has not reported what it holds yet");
            }
            PeerLag l = lag.get();
            if (l.entries() > 0) {
                return Optional.of(who + " is " + HubBackup.behind(l));
            }
            if (l.ahead()) {
                return Optional.of(who + " holds changes this node is still receiving");
            }
        }
        return Optional.empty();
    }

    private static String shown(Member m) {
        String name = m.name().codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (name.length() > 64) {
            name = name.substring(0, 63) + "…";
        }
        return (name.isEmpty() ? "" : name + " ") + "(" + m.id().shortId(7) + ")";
    }
}
