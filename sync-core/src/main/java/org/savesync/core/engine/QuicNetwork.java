package org.savesync.core.engine;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.ProtocolException;
import org.savesync.core.protocol.WireCodec;
import org.savesync.core.transport.Alpn;
import org.savesync.core.transport.FrameReceiver;
import org.savesync.core.transport.IpLiteral;
import org.savesync.core.transport.PeerConnection;
import org.savesync.core.transport.QuicEndpoint;
import org.savesync.core.transport.Redialer;
import org.savesync.core.transport.TransportConfig;
import org.savesync.core.transport.PeerRefusedException;
import org.savesync.core.transport.TransportStats;

/**
 * The engine's network over real QUIC: member links on ALPN {@value Alpn#MEMBER}, one
 * request/response per connection on the join ALPN {@value Alpn#JOIN}. Frames are
 * {@link WireCodec} envelopes; an undecodable frame closes the link with the reason.
 */
public final class QuicNetwork implements Network {
    private static final Logger LOG = Logger.getLogger(QuicNetwork.class);
    /** How long a joiner waits for the authority's answer. */
    public static final long JOIN_TIMEOUT_SECONDS = 30;

    private final NodeKey key;
    private final InetSocketAddress bind;
    private final TransportConfig config;
    private volatile QuicEndpoint endpoint;
    private volatile NetworkEvents events;

    public QuicNetwork(NodeKey key, InetSocketAddress bind, TransportConfig config) {
        this.key = key;
        this.bind = bind;
        this.config = config;
    }

    @Override
    public void start(NetworkEvents e) {
        this.events = e;
        this.endpoint = QuicEndpoint.start(key, bind, config, e::isMember, this::onInbound);
    }

    public TransportStats transportStats() {
        return endpoint.stats();
    }

    /** Join connections open on our listening side now (the gauge the join caps are checked against). */
    public int joinConnectionsOpen() {
        return endpoint.joinConnectionsOpen();
    }

    public InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    @Override
    public List<String> listenAddresses() {
        InetSocketAddress local = endpoint.localAddress();
        if (!local.getAddress().isAnyLocalAddress()) {
            return List.of(format(local.getAddress(), local.getPort()));
        }
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        out.add(format(a, local.getPort()));
                    }
                }
            }
        } catch (SocketException ex) {
            LOG.debugf("cannot list interfaces: %s", Failure.describe(ex));
        }
        // Loopback last: it only helps peers on this machine.
        out.sort((x, y) -> Boolean.compare(x.startsWith("127."), y.startsWith("127.")));
        return out.size() > 8 ? out.subList(0, 8) : out;
    }

    private static String format(InetAddress a, int port) {
        String host = a.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Parses an address that a peer or a ticket supplied: IP literals only ("a.b.c.d:port",
     * "[v6]:port"), never a name lookup.
     *
     * @throws IpLiteral.NotAnIpLiteralException otherwise
     */
    public static InetSocketAddress parsePeerAddress(String s) {
        return IpLiteral.parse(s);
    }

    /** Parses "host:port" or "[v6]:port" of the local configuration (a host name is resolved). */
    public static InetSocketAddress parseAddress(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("not host:port: '" + s + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + s + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + s + "'");
        }
        return new InetSocketAddress(host, port);
    }

    private void onInbound(PeerConnection conn) {
        if (Alpn.JOIN.equals(conn.alpn())) {
            conn.setReceiver(new JoinServer());
        } else {
            QuicLink link = new QuicLink(conn);
            conn.setReceiver(link);
            events.linkUp(link);
        }
    }

    @Override
    public AutoCloseable keepConnected(NodeId peer, List<String> addresses) {
        List<InetSocketAddress> candidates = new ArrayList<>();
        for (String a : addresses) {
            try {
                candidates.add(parsePeerAddress(a));
            } catch (IllegalArgumentException e) {
                LOG.debugf("ignoring address of %s: %s", peer, Failure.describe(e));
            }
        }
        if (candidates.isEmpty()) {
            return () -> { };
        }
        return Redialer.start(endpoint, peer, candidates, Alpn.MEMBER, conn -> {
            QuicLink link = new QuicLink(conn);
            conn.setReceiver(link);
            events.linkUp(link);
        });
    }

    /**
     * Asks on the join ALPN, and asks again when the authority answers 0x6 BUSY (its cap of open
     * join connections per address was reached, e.g. by this node's own asks a moment ago that it
     * has not closed yet): after {@link #BUSY_RETRY_MS} ms, doubling, {@value #BUSY_RETRIES} times
     * (about 4 s in all, above the 3 s an answered connection lingers), then the refusal stands.
     */
    @Override
    public CompletableFuture<Message> ask(String address, NodeId authority, Message req) {
        CompletableFuture<Message> answer = new CompletableFuture<>();
        ask(address, authority, req, 0, answer);
        return answer;
    }

    /** Asks again on BUSY this many times. */
    static final int BUSY_RETRIES = 4;
    /** The first wait before asking again on BUSY. */
    static final long BUSY_RETRY_MS = 250;

    private void ask(String address, NodeId authority, Message req, int retry, CompletableFuture<Message> answer) {
        askOnce(address, authority, req).whenComplete((m, err) -> {
            if (err == null) {
                answer.complete(m);
                return;
            }
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                    ? err.getCause() : err;
            if (cause instanceof PeerRefusedException refused && refused.busy() && retry < BUSY_RETRIES) {
                long delay = BUSY_RETRY_MS << retry;
                LOG.debugf("%s at %s is busy (%s); asking again in %d ms", authority, address, refused.reason(), delay);
                CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
                        .execute(() -> ask(address, authority, req, retry + 1, answer));
                return;
            }
            answer.completeExceptionally(cause);
        });
    }

    private CompletableFuture<Message> askOnce(String address, NodeId authority, Message req) {
        InetSocketAddress addr;
        try {
            addr = parsePeerAddress(address);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Message> result = new CompletableFuture<>();
        endpoint.dial(addr, authority, Alpn.JOIN).whenComplete((conn, err) -> {
            if (err != null) {
                result.completeExceptionally(err);
                return;
            }
            conn.setReceiver(new FrameReceiver() {
                @Override
                public void onFrame(PeerConnection from, byte[] frame) {
                    try {
                        result.complete(WireCodec.decodeJoin(frame));
                    } catch (ProtocolException e) {
                        result.completeExceptionally(e);
                    }
                    from.close("join done");
                }

                @Override
                public void onClosed(PeerConnection c, Throwable cause) {
                    result.completeExceptionally(cause != null ? cause
                            : new IOException("the authority closed the join connection without answering"));
                }
            });
            conn.send(WireCodec.encodeJoin(req));
        });
        return result.orTimeout(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Test hook: stops as a killed process does, without telling any peer (see {@link QuicEndpoint#crashForTests()}). */
    public void crashForTests() {
        QuicEndpoint e = endpoint;
        if (e != null) {
            e.crashForTests();
        }
    }

    @Override
    public void close() {
        QuicEndpoint e = endpoint;
        if (e != null) {
            e.close();
        }
    }

    /** The authority's end of one join connection: one request in, one response out. */
    private final class JoinServer implements FrameReceiver {
        private boolean answered;

        @Override
        public void onFrame(PeerConnection from, byte[] frame) {
            if (answered) {
                from.close("one join request per connection");
                return;
            }
            answered = true;
            Message m;
            try {
                m = WireCodec.decodeJoin(frame);
            } catch (ProtocolException e) {
                from.close("bad join request: " + e.getMessage());
                return;
            }
            if (!(m instanceof Message.JoinRequest || m instanceof Message.RegisterRequest
                    || m instanceof Message.TicketRequest || m instanceof Message.LeaveRequest)) {
                from.close("expected a join, register, ticket or leave request");
                return;
            }
            events.authorityRequest(from.remote(),
                    from.remoteAddress() == null ? null : from.remoteAddress().getAddress(), m).whenComplete((resp, err) -> {
                Message out = err == null ? resp : failed(m, err);
                from.send(WireCodec.encodeJoin(out)); // the asker closes once it has read it
            });
        }

        @Override
        public void onClosed(PeerConnection connection, Throwable causeOrNull) {
        }
    }

    private static Message failed(Message request, Throwable err) {
        String why = "the request failed on the authority: " + Failure.describe(err);
        return switch (request) {
            case Message.RegisterRequest r -> Message.RegisterResponse.refused(Message.ErrorKind.UNSPECIFIED, why);
            case Message.TicketRequest r -> Message.TicketResponse.refused(Message.ErrorKind.UNSPECIFIED, why);
            case Message.LeaveRequest r -> Message.LeaveResponse.refused(Message.ErrorKind.UNSPECIFIED, why);
            default -> Message.JoinResponse.refused(Message.ErrorKind.UNSPECIFIED, why);
        };
    }

    /** A member link: domain messages over one QUIC connection. */
    private final class QuicLink implements Link, FrameReceiver {
        private final PeerConnection conn;

        QuicLink(PeerConnection conn) {
            this.conn = conn;
        }

        @Override
        public NodeId remote() {
            return conn.remote();
        }

        @Override
        public boolean inbound() {
            return conn.inbound();
        }

        @Override
        public boolean isOpen() {
            return conn.isOpen();
        }

        @Override
        public void send(Message m) {
            conn.send(WireCodec.encode(m));
        }

        @Override
        public CompletableFuture<Void> sendBulk(Message m) {
            return conn.sendBulk(WireCodec.encode(m));
        }

        @Override
        public void close(String reason) {
            conn.close(reason);
        }

        @Override
        public void onFrame(PeerConnection from, byte[] frame) {
            Message m;
            try {
                m = WireCodec.decode(frame);
            } catch (ProtocolException e) {
                PeerLog.warn(LOG, "closing the link to %s: %s", conn.remote(), Failure.describe(e));
                conn.close("protocol error: " + Failure.describe(e));
                return;
            }
            events.message(this, m);
        }

        @Override
        public void onClosed(PeerConnection c, Throwable cause) {
            events.linkDown(this, cause);
        }

        @Override
        public String toString() {
            return "quic " + conn.remote().shortId(7) + (conn.inbound() ? " (in)" : " (out)");
        }
    }
}
