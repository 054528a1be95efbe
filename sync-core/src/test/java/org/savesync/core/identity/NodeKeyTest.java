package org.savesync.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyTest {
    @TempDir
    Path tmp;

    @Test
    void madeOnFirstUseKeptOwnerOnlyAndTheSameAfterwards() throws Exception {
        Path dir = tmp.resolve("data");
        NodeKey first = NodeKey.loadOrCreate(dir);
        Path file = dir.resolve(NodeKey.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        NodeKey again = NodeKey.loadOrCreate(dir);
        assertThat(again.nodeId()).isEqualTo(first.nodeId());
        byte[] msg = "hello".getBytes();
        assertThat(first.nodeId().verify(msg, again.sign(msg))).isTrue();
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedWithTheFix() throws Exception {
        NodeKey.loadOrCreate(tmp);
        Path file = tmp.resolve(NodeKey.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> NodeKey.loadOrCreate(tmp)).hasMessageContaining("chmod 600");
    }

    @Test
    void nodeIdTextIs52LowercaseBase32CharactersAndRoundTrips() {
        NodeId id = NodeKey.generate().nodeId();
        String text = id.toString();
        assertThat(text).hasSize(NodeId.TEXT_LENGTH).matches("[a-z2-7]+");
        assertThat(NodeId.parse(text)).isEqualTo(id);
        assertThat(NodeId.parse(text.toUpperCase())).isEqualTo(id);
        assertThatThrownBy(() -> NodeId.parse(text.substring(1))).hasMessageContaining("52");
        assertThat(NodeId.fromPublicKey(id.publicKey())).isEqualTo(id);
    }

    @Test
    void orderingComparesRawBytesUnsigned() {
        byte[] low = new byte[32];
        byte[] high = new byte[32];
        high[0] = (byte) 0x80; // negative as a signed byte, but the larger key
        assertThat(NodeId.of(low).compareTo(NodeId.of(high))).isNegative();
    }

    @Test
    void aSignatureByAnotherKeyDoesNotVerify() {
        NodeKey a = NodeKey.generate();
        NodeKey b = NodeKey.generate();
        byte[] msg = "m".getBytes();
        assertThat(a.nodeId().verify(msg, b.sign(msg))).isFalse();
        assertThat(a.nodeId().verify(msg, new byte[10])).isFalse();
    }

    /**
     * Signatures are made and checked with Bouncy Castle's RFC 8032 code for speed; they must be
     * exactly the JDK's (Ed25519 is deterministic), so any implementation can check them.
     */
    @Test
    void signaturesAreTheJdksAndTheJdkAcceptsThem() throws Exception {
        NodeKey k = NodeKey.generate();
        for (int len : new int[] {0, 1, 300, 70_000}) {
            byte[] msg = new byte[len];
            new java.util.Random(len).nextBytes(msg);
            java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
            jdk.initSign(k.privateKey());
            jdk.update(msg);
            byte[] expected = jdk.sign();
            assertThat(k.sign(msg)).as("signature of %d bytes", len).isEqualTo(expected);
            java.security.Signature check = java.security.Signature.getInstance("Ed25519");
            check.initVerify(k.publicKey());
            check.update(msg);
            assertThat(check.verify(k.sign(msg))).isTrue();
            assertThat(k.nodeId().verify(msg, expected)).isTrue();
            byte[] flipped = expected.clone();
            flipped[5] ^= 1;
            assertThat(k.nodeId().verify(msg, flipped)).isFalse();
        }
    }
}
