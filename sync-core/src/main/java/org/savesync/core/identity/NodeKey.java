package org.savesync.core.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Set;

/**
 * The node's Ed25519 key pair. Made with the JDK provider (keys from Bouncy Castle's
 * provider carry a PKCS#8 v2 encoding that crashes the native QUIC library), stored as
 * PKCS#8 in {@value #FILE_NAME} with owner-only permissions, created on first use.
 */
public final class NodeKey {
    public static final String FILE_NAME = "node.key";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final NodeId nodeId;
    /** The RFC 8032 private key (the 32-byte seed), for signing with Bouncy Castle's Ed25519. */
    private final byte[] seed;

    private NodeKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.nodeId = NodeId.fromPublicKey(publicKey);
        this.seed = ((java.security.interfaces.EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new IllegalStateException("the Ed25519 private key does not expose its seed"));
    }

    /** A fresh key that lives only in memory (tests, throwaway peers). */
    public static NodeKey generate() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new NodeKey(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /**
     * Loads {@code dataDir/node.key}, or makes and stores a new key there when there is none.
     * The file is created owner-only (0600) and the directory is created owner-only (0700).
     */
    public static NodeKey loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(dataDir)) {
                Files.createDirectories(dataDir);
                trySetPermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            }
            if (Files.exists(file)) {
                return load(file);
            }
            NodeKey key = generate();
            Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, key.privateKey.getEncoded(), StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
                return load(file);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the node key in " + dataDir
                    + ": check that the directory is writable by this user", e);
        }
    }

    private static NodeKey load(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalStateException("the node key " + file + " is readable by others (" 
                    + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(file)));
            PublicKey pub = derivePublic(priv);
            return new NodeKey(priv, pub);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the node key " + file + " is not a PKCS#8 Ed25519 key; move it away to make a new identity", e);
        }
    }

    /** The JDK has no direct private-to-public call for EdDSA; derive it through the key's seed. */
    private static PublicKey derivePublic(PrivateKey priv) throws GeneralSecurityException {
        byte[] seed = ((java.security.interfaces.EdECPrivateKey) priv).getBytes()
                .orElseThrow(() -> new GeneralSecurityException("private key has no seed bytes"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(java.security.spec.NamedParameterSpec.ED25519, new FixedSeedRandom(seed));
        return g.generateKeyPair().getPublic();
    }

    private static void trySetPermissions(Path p, Set<PosixFilePermission> perms) {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not a POSIX file system; the directory still works, only less protected.
        }
    }

    public NodeId nodeId() {
        return nodeId;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /**
     * Signs {@code data} (Ed25519, RFC 8032: deterministic, so the same bytes as the JDK's
     * {@code Signature}). Bouncy Castle's implementation signs about 5× faster than the JDK's
     * here, and an agent signs one entry per changed file. The key pair itself stays a JDK key:
     * TLS uses it, and Bouncy Castle-made keys crashed the native QUIC library (see the notes).
     */
    public byte[] sign(byte[] data) {
        byte[] sig = new byte[org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, data, 0, data.length, sig, 0);
        return sig;
    }

    /** A SecureRandom that hands out a fixed seed once: how the JDK regenerates a key pair from a seed. */
    private static final class FixedSeedRandom extends java.security.SecureRandom {
        private final byte[] seed;

        FixedSeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
