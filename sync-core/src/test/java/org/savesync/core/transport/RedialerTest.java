package org.savesync.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;

class RedialerTest {

    @Test
    void reconnectsWhenThePeerComesBackOnTheSamePortAndStopsWhenClosed() throws Exception {
        TransportConfig cfg = QuicEndpointTest.CFG;
        NodeKey bKey = NodeKey.generate();
        RecordingReceiver atB = new RecordingReceiver();
        List<PeerConnection> connections = new CopyOnWriteArrayList<>();
        List<Throwable> retries = new CopyOnWriteArrayList<>();
        Redialer.Listener listener = new Redialer.Listener() {
            @Override
            public void onConnected(PeerConnection c) {
                connections.add(c);
            }

            @Override
            public void onRetry(Throwable lastFailureOrNull, Duration retryIn) {
                retries.add(lastFailureOrNull == null ? new Exception("closed") : lastFailureOrNull);
            }
        };

        try (QuicEndpoint a = QuicEndpoint.start(NodeKey.generate(), QuicEndpointTest.ANY_LOCAL, cfg, id -> true, c -> { })) {
            QuicEndpoint b = QuicEndpoint.start(bKey, QuicEndpointTest.ANY_LOCAL, cfg, id -> true, c -> c.setReceiver(atB));
            InetSocketAddress bAddress = b.localAddress();
            Redialer redialer = Redialer.start(a, bKey.nodeId(), List.of(bAddress), Alpn.MEMBER, listener,
                    new Backoff(new Random(3)));
            QuicEndpoint b2 = null;
            try {
                await().atMost(5, TimeUnit.SECONDS).until(() -> connections.size() == 1 && redialer.current().isPresent());
                PeerConnection first = connections.get(0);

                b.close();
                await().atMost(5, TimeUnit.SECONDS).until(() -> !first.isOpen());
                b2 = QuicEndpoint.start(bKey, bAddress, cfg, id -> true, c -> c.setReceiver(atB));

                await().atMost(15, TimeUnit.SECONDS).until(() -> connections.size() == 2 && connections.get(1).isOpen());
                PeerConnection second = connections.get(1);
                assertThat(second.remote()).isEqualTo(bKey.nodeId());
                assertThat(redialer.current()).contains(second);
                assertThat(retries).isNotEmpty();
                second.send("again".getBytes(StandardCharsets.UTF_8));
                await().atMost(5, TimeUnit.SECONDS).until(() -> atB.texts().contains("again"));
                assertThat(b2.stats().connectionsInbound()).isEqualTo(1);

                redialer.close();
                await().atMost(5, TimeUnit.SECONDS).until(() -> !second.isOpen());
                QuicEndpoint peer = b2;
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                        .until(() -> connections.size() == 2 && peer.stats().connectionsInbound() == 1);
                assertThat(redialer.current()).isEmpty();
            } finally {
                redialer.close();
                b.close();
                if (b2 != null) {
                    b2.close();
                }
            }
        }
    }
}
