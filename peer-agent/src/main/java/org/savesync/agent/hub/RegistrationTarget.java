package org.savesync.agent.hub;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.HubAddress;

/**
 * What {@link HubRegistrar} needs of the engine: this node's id, its groups with their
 * authorities, and the registration call. A seam so the retry and refusal logic can be tested
 * with a fake.
 */
public interface RegistrationTarget {

    /** A group as the registrar sees it. */
    record Group(GroupId id, String name, NodeId authority) {
    }

    NodeId self();

    List<Group> groups();

    /** Hands {@code group} over to {@code hub}; see {@link SyncEngine#registerWithHub}. */
    CompletableFuture<Void> register(GroupId group, HubAddress hub, String enrollToken);

    /** The running engine. */
    static RegistrationTarget of(SyncEngine engine) {
        return new RegistrationTarget() {
            @Override
            public NodeId self() {
                return engine.nodeId();
            }

            @Override
            public List<Group> groups() {
                return engine.groups().stream().map((GroupHandle g) -> new Group(g.id(), g.name(), g.authority()))
                        .toList();
            }

            @Override
            public CompletableFuture<Void> register(GroupId group, HubAddress hub, String enrollToken) {
                return engine.registerWithHub(group, hub, enrollToken);
            }
        };
    }
}
