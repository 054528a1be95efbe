package org.savesync.core.transport;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.savesync.core.identity.NodeId;

/**
 * The two trust decisions of the transport. A dialer trusts the listener only if its key is the
 * node id it dialled (checked here, inside TLS, so an impostor never sees our certificate). A
 * listener trusts any well-formed Ed25519 certificate: it learns the dialer's id from it and
 * applies {@link Admission} after the handshake.
 */
final class PeerTrust {
    private PeerTrust() {
    }

    /** The listener side: any single, self-signed Ed25519 certificate. */
    static X509ExtendedTrustManager listener() {
        return new Base() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                NodeTls.nodeIdOf(chain);
                NodeTls.checkSelfSigned(chain[0]);
            }
        };
    }

    /**
     * The dialer side: {@code dialOf} finds the dial attempt that owns a TLS engine; the peer must
     * be its expected node id. A mismatch is recorded on the attempt so the dial can fail with
     * {@link PeerIdentityMismatchException}.
     */
    static X509ExtendedTrustManager dialer(Function<SSLEngine, DialAttempt> dialOf) {
        return new Base() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                DialAttempt dial = dialOf.apply(engine);
                if (dial == null) {
                    throw new CertificateException("no dial is waiting for this TLS session");
                }
                NodeId actual = NodeTls.nodeIdOf(chain);
                if (!actual.equals(dial.expected())) {
                    dial.identityMismatch(actual);
                    throw new CertificateException("the peer is " + actual + ", not the expected " + dial.expected());
                }
                NodeTls.checkSelfSigned(chain[0]);
            }
        };
    }

    /**
     * A bulk lane's dialler: the listener must be {@code expected} (the node of the QUIC connection
     * the lane is for); another key is reported to {@code mismatch} and aborts TLS before our
     * certificate is sent.
     */
    static X509ExtendedTrustManager pinned(NodeId expected, java.util.function.Consumer<NodeId> mismatch) {
        return new Base() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                NodeId actual = NodeTls.nodeIdOf(chain);
                if (!actual.equals(expected)) {
                    mismatch.accept(actual);
                    throw new CertificateException("the peer is " + actual + ", not the expected " + expected);
                }
                NodeTls.checkSelfSigned(chain[0]);
            }
        };
    }

    /** Refuses every check a side does not expect to make. */
    private abstract static class Base extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("this side does not verify clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("this side does not verify servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("only TLS engines are supported");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("only TLS engines are supported");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("only TLS engines are supported");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("only TLS engines are supported");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
