package org.savesync.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;

/**
 * The bulk lane meets the same hostile peers as QUIC (see {@link QuicEndpointTest}): impostors on
 * either side, strangers, oversize frames, garbage, silence, and a flood of handshakes.
 */
class BulkLaneRefusalTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);
    static final TransportConfig CFG = TransportConfig.defaults().withEventLoopThreads(1)
            .withHandshakeTimeout(Duration.ofSeconds(3));

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private QuicEndpoint endpoint(NodeKey key, InetSocketAddress bind, TransportConfig cfg, RecordingReceiver r) {
        QuicEndpoint e = QuicEndpoint.start(key, bind, cfg, id -> true, c -> c.setReceiver(r));
        toClose.add(e);
        return e;
    }

    /** B listens with lanes on; member A (lanes off, so it dials none itself) holds a QUIC connection to it. */
    private final class Pair {
        final NodeKey a = NodeKey.generate();
        final NodeKey b = NodeKey.generate();
        final RecordingReceiver atB = new RecordingReceiver();
        final QuicEndpoint eb;
        final QuicEndpoint ea;
        final PeerConnection ab;

        Pair(TransportConfig listener) throws Exception {
            eb = endpoint(b, LOCAL, listener, atB);
            ea = endpoint(a, LOCAL, CFG.withBulkLane(false), new RecordingReceiver());
            ab = ea.dial(eb.localAddress(), b.nodeId(), Alpn.MEMBER).get(5, TimeUnit.SECONDS);
            ab.setReceiver(new RecordingReceiver());
            await().atMost(5, TimeUnit.SECONDS).until(() -> eb.stats().connectionsInbound() == 1);
        }

        byte[] hello() {
            return LaneProtocol.hello(ea.instance(), eb.instance());
        }

        QuicPeerConnection atB() {
            return eb.inboundMember(a.nodeId(), java.util.HexFormat.of().formatHex(ea.instance()));
        }
    }

    private static int type(byte[] handshake) {
        return handshake[LaneProtocol.MAGIC.length + 1];
    }

    @Test
    void theRightMemberWithTheRightInstancesIsAcceptedAndItsFramesArrive() throws Exception {
        Pair p = new Pair(CFG);
        try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), p.a)) {
            lane.frame(p.hello());
            assertThat(type(lane.readFrame())).isEqualTo(LaneProtocol.ACCEPT);
            lane.frame("over the lane".getBytes(StandardCharsets.UTF_8));
            await().atMost(5, TimeUnit.SECONDS).until(() -> p.atB.frames.size() == 1);
            assertThat(p.atB.texts()).containsExactly("over the lane");
            assertThat(p.eb.stats().bulkBytesReceivedTcp()).isEqualTo(13);
            assertThat(p.atB().laneForTests()).isNotNull();
        }
    }

    @Test
    void aNodeWithoutAnOpenMemberConnectionIsRefused() throws Exception {
        Pair p = new Pair(CFG);
        NodeKey stranger = NodeKey.generate();
        try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), stranger)) {
            lane.frame(LaneProtocol.hello(Protocol.newInstance(), p.eb.instance()));
            byte[] answer = lane.readFrame();
            assertThat(type(answer)).isEqualTo(LaneProtocol.REFUSE);
            assertThat(LaneProtocol.parse(answer).reason()).contains("no member connection");
            assertThat(lane.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
        // The member itself, naming an instance that is not its connection's, or not the listener's.
        try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), p.a)) {
            lane.frame(LaneProtocol.hello(Protocol.newInstance(), p.eb.instance()));
            assertThat(type(lane.readFrame())).isEqualTo(LaneProtocol.REFUSE);
        }
        try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), p.a)) {
            lane.frame(LaneProtocol.hello(p.ea.instance(), Protocol.newInstance()));
            assertThat(LaneProtocol.parse(lane.readFrame()).reason()).contains("another instance");
        }
        // Another node that knows both instances: the node id must be the connection's too.
        try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), stranger)) {
            lane.frame(p.hello());
            assertThat(type(lane.readFrame())).isEqualTo(LaneProtocol.REFUSE);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> p.eb.stats().lanesRefused() == 4);
        assertThat(p.eb.stats().lanesBound()).isZero();
        assertThat(p.atB().laneForTests()).isNull();
        assertThat(p.eb.lanes().pending()).isZero();
    }

    @Test
    void aClientWhoseKeyIsNotItsCertificatesIsRefusedInTls() throws Exception {
        Pair p = new Pair(CFG);
        // The member's own certificate, but the handshake signed by another key: no proof of possession.
        X509Certificate membersCert = NodeTls.selfSigned(p.a);
        assertThatThrownBy(() -> {
            try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), membersCert, NodeKey.generate().privateKey())) {
                lane.frame(p.hello());
                if (lane.readFrame() == null) {
                    throw new IOException("closed");
                }
            }
        }).isInstanceOf(IOException.class);
        // A certificate with the member's key that the member did not sign.
        X509Certificate forged = signedBy(p.a, NodeKey.generate());
        assertThatThrownBy(() -> {
            try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), forged, p.a.privateKey())) {
                lane.frame(p.hello());
                if (lane.readFrame() == null) {
                    throw new IOException("closed");
                }
            }
        }).isInstanceOf(IOException.class);
        await().atMost(5, TimeUnit.SECONDS).until(() -> p.eb.stats().lanesRefused() == 2);
        assertThat(p.eb.stats().lanesBound()).isZero();
        assertThat(p.atB().laneForTests()).isNull();
    }

    /** A certificate carrying {@code subject}'s public key, signed by {@code signer}. */
    private static X509Certificate signedBy(NodeKey subject, NodeKey signer) throws Exception {
        X500Name name = new X500Name("CN=" + subject.nodeId());
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.TWO,
                Date.from(Instant.now().minusSeconds(3600)), Date.from(Instant.now().plusSeconds(3600)), name,
                subject.publicKey()).build(new JcaContentSignerBuilder("Ed25519").build(signer.privateKey())));
    }

    @Test
    void anImpostorOnTheTcpPortIsRefusedByTheDiallerAndBulkStaysOnQuic() throws Exception {
        // Another node holds TCP port P; the honest listener gets UDP P and runs without lanes.
        NodeKey impostor = NodeKey.generate();
        SSLServerSocket server = (SSLServerSocket) new NodeTls(impostor).jdkContext(new TrustAnyone())
                .getServerSocketFactory().createServerSocket(0, 8, java.net.InetAddress.getByName("127.0.0.1"));
        toClose.add(server);
        javax.net.ssl.SSLParameters params = server.getSSLParameters();
        params.setProtocols(new String[] {"TLSv1.3"});
        params.setApplicationProtocols(new String[] {Alpn.BULK});
        params.setWantClientAuth(true);
        server.setSSLParameters(params);
        AtomicInteger accepted = new AtomicInteger();
        AtomicReference<String> clientCertificate = new AtomicReference<>("none");
        CompletableFuture.runAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                accepted.incrementAndGet();
                s.setSoTimeout(5000);
                try {
                    s.startHandshake();
                    clientCertificate.set(String.valueOf(s.getSession().getPeerCertificates().length));
                    s.getInputStream().read();
                } catch (IOException e) {
                    // the dialler aborted the handshake
                }
            } catch (IOException e) {
                // server closed
            }
        });
        int port = server.getLocalPort();
        NodeKey b = NodeKey.generate();
        RecordingReceiver atB = new RecordingReceiver(false);
        QuicEndpoint eb = endpoint(b, new InetSocketAddress("127.0.0.1", port), CFG, atB);
        assertThat(eb.laneAddress()).as("TCP %d is taken", port).isNull();
        QuicEndpoint ea = endpoint(NodeKey.generate(), LOCAL, CFG, new RecordingReceiver());
        PeerConnection ab = ea.dial(eb.localAddress(), b.nodeId(), Alpn.MEMBER).get(5, TimeUnit.SECONDS);

        await().atMost(10, TimeUnit.SECONDS).until(() -> ea.stats().laneDialsFailed() == 1);
        assertThat(ea.stats().laneIdentityMismatch()).isEqualTo(1);
        assertThat(accepted.get()).isEqualTo(1);
        assertThat(clientCertificate.get()).as("the impostor never saw our certificate").isEqualTo("none");
        assertThat(ea.stats().lanesBound()).isZero();

        byte[] mib = new byte[1024 * 1024];
        ab.sendBulk(mib).get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> atB.bytes.get() == mib.length);
        assertThat(ea.stats().bulkBytesSentQuic()).isEqualTo(mib.length);
        assertThat(ea.stats().bulkBytesSentTcp()).isZero();
    }

    @Test
    void aFrameAnnouncingMoreThanTheLimitClosesTheLaneButNotTheConnection() throws Exception {
        Pair p = new Pair(CFG);
        try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), p.a)) {
            lane.frame(p.hello());
            assertThat(type(lane.readFrame())).isEqualTo(LaneProtocol.ACCEPT);
            await().atMost(5, TimeUnit.SECONDS).until(() -> p.atB().laneForTests() != null);
            lane.raw(ByteBuffer.allocate(8).putInt(Frames.MAX_FRAME_SIZE + 1).putInt(42).array());
            assertThat(lane.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(p.eb.stats().framesTooLarge()).isEqualTo(1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> p.atB().laneForTests() == null);
        QuicPeerConnection ba = p.atB();
        assertThat(ba.isOpen()).isTrue();
        ba.sendBulk("on QUIC again".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        assertThat(p.eb.stats().bulkBytesSentQuic()).isEqualTo(13);
    }

    @Test
    void anOversizeHandshakeFrameIsRefused() throws Exception {
        Pair p = new Pair(CFG);
        try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), p.a)) {
            lane.raw(ByteBuffer.allocate(4).putInt(LaneProtocol.MAX_HANDSHAKE_BYTES + 1).array());
            assertThat(lane.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> p.eb.stats().lanesRefused() == 1);
        assertThat(p.eb.stats().framesTooLarge()).isEqualTo(1);
    }

    @Test
    void plainTcpGarbageIsRefused() throws Exception {
        Pair p = new Pair(CFG);
        try (Socket s = new Socket()) {
            s.connect(p.eb.laneAddress(), 5000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(RogueLane.closedWithin(s, s.getInputStream(), Duration.ofSeconds(5))).isTrue();
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> p.eb.stats().lanesRefused() == 1);
        assertThat(p.eb.lanes().pending()).isZero();
        assertThat(p.atB().laneForTests()).isNull();
    }

    @Test
    void aSilentClientIsClosedAtTheHandshakeTimeout() throws Exception {
        Pair p = new Pair(CFG.withHandshakeTimeout(Duration.ofMillis(700)));
        try (Socket silent = new Socket(); RogueLane noHello = RogueLane.connect(p.eb.laneAddress(), p.a)) {
            silent.connect(p.eb.laneAddress(), 5000);
            // TLS done, but no lane hello: the same timer.
            assertThat(RogueLane.closedWithin(silent, silent.getInputStream(), Duration.ofSeconds(10))).isTrue();
            assertThat(noHello.closedWithin(Duration.ofSeconds(10))).isTrue();
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> p.eb.stats().lanesRefused() == 2);
        assertThat(p.eb.lanes().pending()).isZero();
    }

    @Test
    void handshakesPastTheCapAreClosedAtOnce() throws Exception {
        Pair p = new Pair(CFG.withMaxPendingHandshakes(2).withHandshakeTimeout(Duration.ofSeconds(30)));
        try (Socket one = new Socket(); Socket two = new Socket(); Socket three = new Socket()) {
            one.connect(p.eb.laneAddress(), 5000);
            two.connect(p.eb.laneAddress(), 5000);
            await().atMost(5, TimeUnit.SECONDS).until(() -> p.eb.lanes().pending() == 2);
            three.connect(p.eb.laneAddress(), 5000);
            assertThat(RogueLane.closedWithin(three, three.getInputStream(), Duration.ofSeconds(10))).isTrue();
            assertThat(p.eb.stats().laneHandshakesBusy()).isEqualTo(1);
            assertThat(p.eb.lanes().pending()).isEqualTo(2);
            assertThat(RogueLane.closedWithin(one, one.getInputStream(), Duration.ofMillis(300)))
                    .as("the first two wait for their handshake timeout").isFalse();

            one.close();
            await().atMost(5, TimeUnit.SECONDS).until(() -> p.eb.lanes().pending() == 1);
            // A place is free again: a real lane handshake gets in.
            try (RogueLane lane = RogueLane.connect(p.eb.laneAddress(), p.a)) {
                lane.frame(p.hello());
                assertThat(type(lane.readFrame())).isEqualTo(LaneProtocol.ACCEPT);
            }
        }
        assertThat(p.eb.stats().laneHandshakesBusy()).isEqualTo(1);
    }
}
