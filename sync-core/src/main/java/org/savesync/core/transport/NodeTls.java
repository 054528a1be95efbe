package org.savesync.core.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.incubator.codec.quic.BoringSSLContextOption;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;

/**
 * TLS material of a node: a self-signed X.509 certificate over its Ed25519 key (built with Bouncy
 * Castle, signed by the JDK key: keys from Bouncy Castle's provider crash the native QUIC library),
 * and the QUIC TLS contexts. Both contexts need two settings or the Ed25519 handshake fails:
 * {@code ed25519} in the signature algorithms ({@code NO_COMMON_SIGNATURE_ALGORITHMS} otherwise) and a
 * key manager that offers the node key for every key type (the stock one asks for RSA/EC only and
 * fails with {@code CERT_CB_ERROR}). No certificate authority: the certificate is only a carrier for
 * the key, and trust is "this key is the node id we expected" (or, for dialers, "learn the id").
 * The bulk lane uses the same certificate and key manager with the JDK's TLS 1.3 ({@link #jdkContext}).
 */
final class NodeTls {
    /** Every node key is Ed25519, so that is the only signature algorithm we offer or accept. */
    static final String[] SIGNATURE_ALGORITHMS = {"ed25519"};
    /** The same, in the JDK's names (the bulk lane uses the JDK's TLS). */
    private static final String[] JDK_SIGNATURE_SCHEMES = {"ed25519"};
    private static final Date NOT_AFTER = Date.from(Instant.parse("9999-12-31T23:59:59Z"));

    private final NodeKey key;
    private final X509Certificate certificate;

    NodeTls(NodeKey key) {
        this.key = key;
        this.certificate = selfSigned(key);
    }

    X509Certificate certificate() {
        return certificate;
    }

    static X509Certificate selfSigned(NodeKey key) {
        X500Name name = new X500Name("CN=" + key.nodeId());
        BigInteger serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
        Date notBefore = Date.from(Instant.now().minus(1, ChronoUnit.HOURS));
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(name, serial, notBefore, NOT_AFTER, name, key.publicKey())
                            .build(new JcaContentSignerBuilder("Ed25519").build(key.privateKey())));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot build the node's self-signed certificate", e);
        }
    }

    /** The node id a peer's certificate chain carries: the single certificate's raw Ed25519 key. */
    static NodeId nodeIdOf(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1) {
            throw new CertificateException("a node presents exactly one self-signed certificate, got "
                    + (chain == null ? 0 : chain.length));
        }
        try {
            return NodeId.fromPublicKey(chain[0].getPublicKey());
        } catch (IllegalArgumentException e) {
            throw new CertificateException("the peer's certificate does not carry an Ed25519 node key: " + e.getMessage(), e);
        }
    }

    /** The node id the peer of a finished TLS handshake proved: {@link #nodeIdOf} of its certificate chain. */
    static NodeId peerIdOf(SSLSession session) throws CertificateException, SSLPeerUnverifiedException {
        Certificate[] certs = session.getPeerCertificates();
        X509Certificate[] chain = new X509Certificate[certs.length];
        for (int i = 0; i < certs.length; i++) {
            if (!(certs[i] instanceof X509Certificate x)) {
                throw new CertificateException("not an X.509 certificate");
            }
            chain[i] = x;
        }
        return nodeIdOf(chain);
    }

    QuicSslContext serverContext(X509TrustManager trust) {
        return QuicSslContextBuilder.forServer(new NodeKeyManager(), null)
                .trustManager(trust)
                .clientAuth(ClientAuth.REQUIRE)
                .applicationProtocols(Alpn.MEMBER, Alpn.JOIN)
                .option(BoringSSLContextOption.SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS)
                .earlyData(false)
                .build();
    }

    QuicSslContext clientContext(X509TrustManager trust, String alpn) {
        return QuicSslContextBuilder.forClient()
                .keyManager(new NodeKeyManager(), null)
                .trustManager(trust)
                .applicationProtocols(alpn)
                .option(BoringSSLContextOption.SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS)
                .earlyData(false)
                .build();
    }

    /**
     * A JDK TLS context (the bulk lane's TCP connections) with the node key and {@code trust}.
     * Engines from it must be set up with {@link #laneParameters}.
     */
    SSLContext jdkContext(X509TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(new KeyManager[] {new NodeKeyManager()}, new TrustManager[] {trust}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make a TLS 1.3 context: " + e.getMessage(), e);
        }
    }

    /**
     * A new engine of a {@link #jdkContext}: TLS 1.3 only, Ed25519 only, ALPN {@value Alpn#BULK},
     * client certificates required. Made without a peer host, so a client never resumes a session
     * (every lane proves both keys afresh).
     */
    static SSLEngine laneEngine(SSLContext ctx, boolean client) {
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3"});
        p.setSignatureSchemes(JDK_SIGNATURE_SCHEMES);
        p.setApplicationProtocols(new String[] {Alpn.BULK});
        if (!client) {
            p.setNeedClientAuth(true);
        }
        engine.setSSLParameters(p);
        return engine;
    }

    /** Offers the node key and certificate whatever key type the TLS library asks for. */
    private final class NodeKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "node";

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? new X509Certificate[] {certificate} : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key.privateKey() : null;
        }
    }

    /** Verifies that a certificate's signature is its own key's (well-formed, self-signed). */
    static void checkSelfSigned(X509Certificate cert) throws CertificateException {
        try {
            cert.verify(cert.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the peer's certificate is not validly self-signed", e);
        }
    }
}
