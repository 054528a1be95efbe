package org.savesync.core.transport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.savesync.core.identity.NodeKey;

/**
 * A hostile bulk lane client for tests: a blocking JDK TLS 1.3 socket with ALPN
 * {@value Alpn#BULK} that presents any certificate with any private key (they need not match),
 * trusts whoever answers, and then sends whatever the test wants: lane handshakes with any
 * instance ids, frames of any announced length, raw bytes.
 */
final class RogueLane implements AutoCloseable {
    private final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RogueLane(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** A lane client presenting the node certificate of {@code key}, signing with {@code key}. */
    static RogueLane connect(InetSocketAddress to, NodeKey key) throws IOException {
        return connect(to, NodeTls.selfSigned(key), key.privateKey());
    }

    /** A lane client presenting {@code cert} and signing the handshake with {@code signer}. */
    static RogueLane connect(InetSocketAddress to, X509Certificate cert, PrivateKey signer) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(new KeyManager[] {new FixedKey(cert, signer)}, new TrustManager[] {new TrustAnyone()}, null);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
            s.connect(to, 5000);
            s.setSoTimeout(5000);
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3"});
            p.setSignatureSchemes(new String[] {"ed25519"});
            p.setApplicationProtocols(new String[] {Alpn.BULK});
            s.setSSLParameters(p);
            s.startHandshake();
            return new RogueLane(s);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One frame: u32 length, payload. */
    void frame(byte[] payload) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(payload.length).array());
        out.write(payload);
        out.flush();
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame from the listener, or null when it closed the lane. */
    byte[] readFrame() throws IOException {
        try {
            int n = in.readInt();
            if (n < 0 || n > LaneProtocol.MAX_HANDSHAKE_BYTES) {
                throw new IOException("rogue lane: unexpected frame length " + n);
            }
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        } catch (EOFException | javax.net.ssl.SSLException | java.net.SocketException e) {
            return null;
        }
    }

    /** True once the listener closed the lane (reads end), false if it is still open after {@code wait}. */
    boolean closedWithin(Duration wait) throws IOException {
        return closedWithin(socket, socket.getInputStream(), wait);
    }

    /** For plain sockets too: reads until end of stream or {@code wait} passes. */
    static boolean closedWithin(Socket s, InputStream in, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            s.setSoTimeout((int) Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (java.net.SocketTimeoutException e) {
                // still open; look again
            } catch (java.net.SocketException | javax.net.ssl.SSLException e) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Presents one certificate and one private key, whatever is asked. */
    private static final class FixedKey extends X509ExtendedKeyManager {
        private final X509Certificate cert;
        private final PrivateKey key;

        FixedKey(X509Certificate cert, PrivateKey key) {
            this.cert = cert;
            this.key = key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"k"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "k";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {"k"};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return "k";
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return "k";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {cert};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }
}
