package org.savesync.server.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.savesync.core.membership.GroupId;

/**
 * One follower of the {@link HubEvents}: a bounded queue of {@link HubEvents#QUEUE_CAPACITY}
 * events that {@link HubEvents#publish} fills without ever waiting, and the follower drains
 * with {@link #next}. When the queue is full a new event is dropped and counted; the follower's
 * next {@link #next} then answers one {@link HubEvent.Kind#EVENTS_DROPPED} marker with the
 * count before the queued events, so it knows it missed some. {@link #close} ends it (the
 * client went away, or the hub stops); the bus forgets it at once.
 */
public final class Subscription implements AutoCloseable {
    private final HubEvents bus;
    private final GroupId group;
    private final ArrayBlockingQueue<HubEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean endedByHub;

    Subscription(HubEvents bus, GroupId group, int capacity) {
        this.bus = bus;
        this.group = group;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** The group it follows; empty: every group (and the events of none, like enrollments). */
    public Optional<GroupId> group() {
        return Optional.ofNullable(group);
    }

    boolean wants(HubEvent e) {
        return group == null || group.equals(e.group());
    }

    void offer(HubEvent e) {
        if (!closed && !queue.offer(e)) {
            dropped.incrementAndGet();
            bus.dropped();
        }
    }

    /**
     * The next event, waiting at most {@code wait}; empty when none came (or it is closed: check
     * {@link #closed()}). A drop marker comes first when events were dropped since the last call.
     */
    public Optional<HubEvent> next(Duration wait) throws InterruptedException {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            return Optional.of(new HubEvent(HubEvent.Kind.EVENTS_DROPPED, Instant.now(), group, null, null, null, null,
                    lost));
        }
        if (closed) {
            return Optional.empty();
        }
        return Optional.ofNullable(queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Events waiting (for tests and metrics). */
    public int queued() {
        return queue.size();
    }

    public boolean closed() {
        return closed;
    }

    /** True when the hub ended it (stopping), not the follower. */
    public boolean endedByHub() {
        return endedByHub;
    }

    void endByHub() {
        endedByHub = true;
        close();
    }

    /** Ends it and takes it off the bus; idempotent. */
    @Override
    public void close() {
        closed = true;
        bus.forget(this);
        queue.clear();
    }
}
