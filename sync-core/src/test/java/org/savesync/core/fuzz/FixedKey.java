package org.savesync.core.fuzz;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.savesync.core.identity.NodeId;

/**
 * An Ed25519 key made from a fixed seed, so seeds and kept regression inputs name the same
 * node ids in every run, and a fuzz target can sign whatever bytes it is given with the key the
 * seeds use (the only way a mutated signed record ever gets past its signature check).
 */
final class FixedKey {
    static final FixedKey AUTHORITY = new FixedKey(1);
    static final FixedKey MEMBER = new FixedKey(2);
    static final FixedKey HUB = new FixedKey(3);

    private final byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    private final NodeId id;

    private FixedKey(int b) {
        Arrays.fill(seed, (byte) b);
        byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, pub, 0);
        id = NodeId.of(pub);
    }

    NodeId id() {
        return id;
    }

    byte[] sign(byte[] data) {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, data, 0, data.length, sig, 0);
        return sig;
    }
}
