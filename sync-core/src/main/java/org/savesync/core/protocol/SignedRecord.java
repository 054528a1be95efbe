package org.savesync.core.protocol;

/** A signed record as it travels: the exact signed bytes and the 64-byte Ed25519 signature. */
public record SignedRecord(byte[] signedBytes, byte[] signature) {
    public SignedRecord {
        if (signedBytes == null || signature == null) {
            throw new IllegalArgumentException("signed record without bytes or signature");
        }
    }
}
