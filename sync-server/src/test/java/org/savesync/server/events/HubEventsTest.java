package org.savesync.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;

class HubEventsTest {
    private final HubEvents bus = new HubEvents(3);
    private final GroupId photos = GroupId.random();
    private final GroupId music = GroupId.random();

    private static List<HubEvent.Kind> drain(Subscription s) throws InterruptedException {
        List<HubEvent.Kind> out = new ArrayList<>();
        for (var e = s.next(Duration.ZERO); e.isPresent(); e = s.next(Duration.ZERO)) {
            out.add(e.get().kind());
        }
        return out;
    }

    @Test
    void aSlowSubscriberLosesEventsBeyondItsQueueAndIsToldHowManyTheOthersLoseNothing() throws Exception {
        Subscription slow = bus.subscribe(null);
        var node = NodeKey.generate().nodeId();
        for (int i = 0; i < 5; i++) {
            bus.memberJoined(photos, node, "n" + i);
        }
        Subscription fresh = bus.subscribe(null);
        var first = slow.next(Duration.ZERO).orElseThrow();
        assertThat(first.kind()).isEqualTo(HubEvent.Kind.EVENTS_DROPPED);
        assertThat(first.count()).as("SUBSCRIBED and 2 joins fit in 3; 3 joins dropped").isEqualTo(3);
        assertThat(drain(slow)).containsExactly(HubEvent.Kind.SUBSCRIBED, HubEvent.Kind.MEMBER_JOINED,
                HubEvent.Kind.MEMBER_JOINED);
        assertThat(drain(fresh)).containsExactly(HubEvent.Kind.SUBSCRIBED);
        assertThat(bus.droppedTotal()).as("savesync_events_dropped_total").isEqualTo(3);
    }

    @Test
    void aGroupsSubscriberSeesOnlyThatGroupAndClosingForgetsIt() throws Exception {
        Subscription s = bus.subscribe(photos);
        var node = NodeKey.generate().nodeId();
        bus.memberLeft(music, node, "x");
        bus.nodeEnrolled(node, "x");
        bus.memberRemoved(photos, node, "x");
        assertThat(drain(s)).containsExactly(HubEvent.Kind.SUBSCRIBED, HubEvent.Kind.MEMBER_REMOVED);
        assertThat(bus.subscriptions()).isEqualTo(1);
        s.close();
        assertThat(bus.subscriptions()).isZero();
        bus.memberRemoved(photos, node, "x");
        assertThat(s.queued()).isZero();
    }

    @Test
    void subscriptionsAreBounded() {
        List<Subscription> open = new ArrayList<>();
        for (int i = 0; i < HubEvents.MAX_SUBSCRIPTIONS; i++) {
            open.add(bus.subscribe(null));
        }
        assertThatThrownBy(() -> bus.subscribe(null)).isInstanceOf(HubEvents.TooManySubscriptions.class)
                .hasMessageContaining("close one");
        open.getFirst().close();
        bus.subscribe(null);
    }
}
