package org.savesync.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;

/**
 * One member connection per node id and direction (issue 9, section 1): a member that opens
 * connection after connection only ever holds one of ours (each newer one closes the older with
 * 0x7 REPLACED), a new instance id closes the old instance's connections (the peer restarted),
 * and honest peers keep their connections.
 */
class OneLinkPerNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void aNewerConnectionFromTheSameNodeReplacesTheOlderOne() throws Exception {
        List<PeerConnection> accepted = new CopyOnWriteArrayList<>();
        RecordingReceiver received = new RecordingReceiver();
        try (QuicEndpoint e = QuicEndpoint.start(NodeKey.generate(), LOCAL, TransportConfig.defaults(), p -> true, c -> {
                 accepted.add(c);
                 c.setReceiver(received);
             });
             QuicEndpoint honest = QuicEndpoint.start(NodeKey.generate(), LOCAL, TransportConfig.defaults(), p -> true,
                     c -> { });
             RoguePeer rogue = RoguePeer.stranger()) {
            PeerConnection honestLink = honest.dial(e.localAddress(), e.nodeId(), Alpn.MEMBER).get(60, TimeUnit.SECONDS);

            byte[] instance = Protocol.newInstance();
            List<RogueConnection> rogueLinks = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                RogueConnection c = rogue.connect(e.localAddress(), Alpn.MEMBER, WAIT);
                c.control().frame(Protocol.hello(instance));
                c.awaitAccepted(WAIT);
                rogueLinks.add(c);
            }
            Awaitility.await().atMost(WAIT).until(() -> rogueLinks.subList(0, 9).stream().noneMatch(RogueConnection::isOpen));
            assertThat(rogueLinks.subList(0, 9)).allSatisfy(c -> assertThat(c.closeCode()).isEqualTo(Protocol.CLOSE_REPLACED));
            assertThat(rogueLinks.get(9).isOpen()).isTrue();
            assertThat(e.stats().closedReplaced()).isEqualTo(9);
            Awaitility.await().atMost(WAIT).until(() -> accepted.stream()
                    .filter(c -> c.remote().equals(rogue.nodeId()) && c.isOpen()).count() == 1);

            // The same node with a new instance id restarted: its old instance's connection goes too.
            RogueConnection restarted = rogue.connect(e.localAddress(), Alpn.MEMBER, WAIT);
            restarted.control().frame(Protocol.hello(Protocol.newInstance()));
            restarted.awaitAccepted(WAIT);
            Awaitility.await().atMost(WAIT).until(() -> !rogueLinks.get(9).isOpen());
            assertThat(e.stats().closedPeerRestarted()).isEqualTo(1);

            // The honest peer's connection was never touched and still carries frames.
            assertThat(honestLink.isOpen()).isTrue();
            honestLink.send("still here".getBytes()).get(60, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> received.texts().contains("still here"));
        }
    }
}
