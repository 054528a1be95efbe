package org.savesync.server.events;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.engine.ReplicaListener;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.SafePath;

/**
 * The hub's event bus: whoever sees something happen {@link #publish}es it, every {@link
 * Subscription} that wants it gets a copy. Publishing never waits (it is called on the engine
 * thread): each subscription has its own bounded queue and a slow one loses events, told by a
 * drop marker, never slowing the others or the hub.
 *
 * <p>Limits: at most {@value #MAX_SUBSCRIPTIONS} subscriptions at once (more is refused with
 * {@link TooManySubscriptions}); {@value #QUEUE_CAPACITY} events queued per subscription.
 *
 * <p>Sources: the engine through {@link #replicaListener()} (registrations, conflicts, stored
 * content), the registration policy ({@link #nodeEnrolled}), and the membership observer
 * ({@link #memberJoined}, {@link #memberLeft}, {@link #memberRemoved}).
 */
@ApplicationScoped
public class HubEvents {
    /** Events queued per subscription before new ones are dropped. */
    public static final int QUEUE_CAPACITY = 1_000;
    /** Subscriptions open at once. */
    public static final int MAX_SUBSCRIPTIONS = 64;

    /** Refused: {@value #MAX_SUBSCRIPTIONS} subscriptions are open already. */
    public static final class TooManySubscriptions extends RuntimeException {
        TooManySubscriptions() {
            super(MAX_SUBSCRIPTIONS + " event streams are open on this hub already; close one and try again");
        }
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();
    private final int capacity;

    public HubEvents() {
        this(QUEUE_CAPACITY);
    }

    HubEvents(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Follows the events of {@code group} (null: of every group, and those of none); the first
     * event is {@link HubEvent.Kind#SUBSCRIBED}.
     *
     * @throws TooManySubscriptions when {@value #MAX_SUBSCRIPTIONS} are open
     */
    public synchronized Subscription subscribe(GroupId group) {
        if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
            throw new TooManySubscriptions();
        }
        Subscription s = new Subscription(this, group, capacity);
        s.offer(HubEvent.of(HubEvent.Kind.SUBSCRIBED, group, null, null));
        subscriptions.add(s);
        return s;
    }

    /** Subscriptions open now. */
    public int subscriptions() {
        return subscriptions.size();
    }

    /** Events dropped so far because a subscription's queue was full (every subscription together). */
    public long droppedTotal() {
        return dropped.sum();
    }

    void dropped() {
        dropped.increment();
    }

    void forget(Subscription s) {
        subscriptions.remove(s);
    }

    /** Hands {@code e} to every subscription that wants it; never waits. */
    public void publish(HubEvent e) {
        for (Subscription s : subscriptions) {
            if (s.wants(e)) {
                s.offer(e);
            }
        }
    }

    // ------------------------------------------------------------------ what the sources call

    public void memberJoined(GroupId group, NodeId node, String name) {
        publish(HubEvent.of(HubEvent.Kind.MEMBER_JOINED, group, node, name));
    }

    public void memberLeft(GroupId group, NodeId node, String name) {
        publish(HubEvent.of(HubEvent.Kind.MEMBER_LEFT, group, node, name));
    }

    public void memberRemoved(GroupId group, NodeId node, String name) {
        publish(HubEvent.of(HubEvent.Kind.MEMBER_REMOVED, group, node, name));
    }

    public void nodeEnrolled(NodeId node, String name) {
        publish(HubEvent.of(HubEvent.Kind.NODE_ENROLLED, null, node, name));
    }

    /** The engine's side: what a full replica reports becomes events. */
    public ReplicaListener replicaListener() {
        return new ReplicaListener() {
            @Override
            public void groupRegistered(GroupId group, String name, NodeId by) {
                publish(HubEvent.of(HubEvent.Kind.GROUP_REGISTERED, group, by, name));
            }

            @Override
            public void conflict(GroupId group, SafePath path, NodeId author, NodeId other) {
                publish(new HubEvent(HubEvent.Kind.CONFLICT, Instant.now(), group, author, null, path.toString(), other,
                        0));
            }

            @Override
            public void contentStored(GroupId group, BlobId blob, long bytes, SafePath path, NodeId author) {
                publish(new HubEvent(HubEvent.Kind.TRANSFER_FINISHED, Instant.now(), group, author, null,
                        path == null ? null : path.toString(), null, bytes));
            }
        };
    }

    /** The hub stops: every stream is ended (its follower is told the hub is going away). */
    void onStop(@Observes ShutdownEvent ev) {
        for (Subscription s : List.copyOf(subscriptions)) {
            s.endByHub();
        }
    }
}
