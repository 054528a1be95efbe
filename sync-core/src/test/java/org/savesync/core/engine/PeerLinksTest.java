package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.stats.EngineStats;

class PeerLinksTest {
    private final PeerLinks links = new PeerLinks(new EngineStats());

    /** A link as the engine sees it; {@code open} can be turned off to play one that closed. */
    private static final class TestLink implements Link {
        final NodeId remote = NodeKey.generate().nodeId();
        final List<Message> sent = new ArrayList<>();
        boolean open = true;

        @Override
        public NodeId remote() {
            return remote;
        }

        @Override
        public boolean inbound() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void send(Message m) {
            sent.add(m);
        }

        @Override
        public CompletableFuture<Void> sendBulk(Message m) {
            sent.add(m);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(String reason) {
            open = false;
        }
    }

    private static Message.Hello hello(int version) {
        return new Message.Hello(Protocol.MAGIC, version, "peer", List.of("127.0.0.1:1"));
    }

    @Test
    void aRightHelloConnectsAWrongOneClosesTheLink() {
        TestLink good = new TestLink();
        TestLink old = new TestLink();
        links.up(good);
        links.up(old);
        assertThat(links.hello(good, hello(Protocol.VERSION))).as("the first right hello").isTrue();
        assertThat(links.hello(good, hello(Protocol.VERSION))).as("a second one starts nothing").isFalse();
        assertThat(links.hello(old, hello(Protocol.VERSION - 1))).isFalse();
        assertThat(old.open).isFalse();
        assertThat(old.sent).singleElement().isInstanceOfSatisfying(Message.ErrorNotice.class,
                n -> assertThat(n.message()).contains("upgrade the peer"));
        assertThat(links.connected()).extracting(SyncEngine.PeerLink::node).containsExactly(good.remote);
    }

    @Test
    void messagesOfALinkThatWentDownLeaveNothingBehind() {
        List<TestLink> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            TestLink l = new TestLink();
            all.add(l);
            links.up(l);
            links.hello(l, hello(Protocol.VERSION));
            l.open = false;
            links.gone(l);
            // What was still on its way to the engine when the link went down:
            assertThat(links.greeted(l)).isFalse();
            assertThat(links.hello(l, hello(Protocol.VERSION))).isFalse();
        }
        assertThat(links.size()).as("links tracked after 100 came and went").isZero();

        TestLink early = new TestLink();
        assertThat(links.greeted(early)).as("an open link seen before its link-up waits for its hello").isFalse();
        assertThat(links.hello(early, hello(Protocol.VERSION))).isTrue();
        assertThat(links.size()).isEqualTo(1);
    }
}
