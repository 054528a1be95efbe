package org.savesync.agent.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.savesync.core.membership.GroupId;

/**
 * The seal on an index entry row: HMAC-SHA256, under a key only this data dir holds, over the
 * group id, the entry's signed bytes and its signature, written with every entry row.
 *
 * <p>Why: reopening the index re-verified every entry's Ed25519 signature, about 3.4 s per
 * 10,000 entries on the project's machines, all of it before the agent was ready. An entry is
 * only ever stored as a {@code SignedEntry}, whose signature was checked when it was made (or
 * it was signed here), so a row the agent wrote needs no second check, as long as it is the row
 * the agent wrote. The seal says exactly that: a row whose seal matches is decoded (as
 * strictly as before) without the signature check; a row with no seal (written before seals,
 * or by anything but the agent), or whose seal does not match (a byte changed, a key replaced),
 * is verified in full as before, and refused when that fails. Forging a seal takes the key,
 * and whoever can read the key can also replace the node key next to it: the seal makes the
 * index no easier to tamper with than the data dir already is. Deferring the check until after
 * "ready" was the other way; it was not taken because the engine serves its index to peers
 * from the first connection, and an unchecked row must never reach a peer.
 *
 * <p>The key file ({@value #KEY_FILE}, 32 random bytes) is created owner-only (0600), like the
 * node key; one readable by group or others is refused. Losing it costs only speed: the next
 * start verifies every row in full (and rows written from then on carry the new key's seal).
 */
public final class EntrySeal {
    /** The key file's name in the data dir. */
    public static final String KEY_FILE = "index-seal.key";
    /** Length of the key and of a seal (HMAC-SHA256). */
    public static final int LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    private EntrySeal(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The data dir's seal key, created (owner-only) on first use. */
    public static EntrySeal loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (Files.exists(file)) {
                return load(file);
            }
            byte[] k = new byte[LENGTH];
            new SecureRandom().nextBytes(k);
            Path tmp = dataDir.resolve(KEY_FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, k, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
                return load(file);
            }
            return new EntrySeal(k);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the index seal key " + file
                    + ": check that the data dir is writable by this user", e);
        }
    }

    /**
     * A seal under a fresh random key that is kept nowhere: rows it seals are verified in full by
     * any other instance (for a provider that is given no data dir).
     */
    public static EntrySeal ephemeral() {
        byte[] k = new byte[LENGTH];
        new SecureRandom().nextBytes(k);
        return new EntrySeal(k);
    }

    private static EntrySeal load(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalStateException("the index seal key " + file + " is readable by other users; make it"
                    + " owner-only (chmod 600 " + file + ") or delete it (the next start then checks every entry in full)");
        }
        byte[] k = Files.readAllBytes(file);
        if (k.length != LENGTH) {
            throw new IllegalStateException("the index seal key " + file + " is " + k.length + " bytes, not " + LENGTH
                    + "; delete it (the next start then checks every entry in full)");
        }
        return new EntrySeal(k);
    }

    /** The seal of one entry row of {@code group}. */
    byte[] seal(GroupId group, byte[] signedBytes, byte[] signature) {
        Mac mac = macs.get();
        mac.update(group.bytes());
        // lengths first, so no two (bytes, signature) pairs give the same input
        mac.update(ByteBuffer.allocate(8).putInt(signedBytes.length).putInt(signature.length).array());
        mac.update(signedBytes);
        mac.update(signature);
        return mac.doFinal();
    }

    /** True when {@code seal} (may be null) is this key's seal of the row. */
    boolean matches(GroupId group, byte[] signedBytes, byte[] signature, byte[] seal) {
        return seal != null && seal.length == LENGTH && signedBytes != null && signature != null
                && MessageDigest.isEqual(seal(group, signedBytes, signature), seal);
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance(ALGORITHM);
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + ALGORITHM, e);
        }
    }
}
