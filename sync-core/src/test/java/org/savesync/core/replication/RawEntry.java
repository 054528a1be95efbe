package org.savesync.core.replication;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.savesync.core.identity.NodeId;

/**
 * Writes entry bytes field by field, independently of {@link Entry#canonicalBytes()}, so tests
 * can make bytes the real encoder never would (bad paths, unknown types, unsorted vectors).
 * Defaults describe a valid 3-byte file "a/b" authored by {@code author}.
 */
final class RawEntry {
    String tag = "savesync/entry/v1";
    byte[] group = Fixtures.GROUP.bytes();
    NodeId author;
    long seq = 1;
    byte[] path = "a/b".getBytes(StandardCharsets.UTF_8);
    int type = 1;
    int blobPresent = 1;
    byte[] blob = Fixtures.blob(0x42).bytes();
    long size = 3;
    long mtime = 1;
    int executable = 0;
    int targetPresent = 0;
    byte[] target = new byte[0];
    long hlc = Hlc.of(1_700_000_000_000L, 0);
    List<Object[]> vector = new ArrayList<>();

    RawEntry(NodeId author) {
        this.author = author;
        vector.add(new Object[] {author, 1L});
    }

    RawEntry path(String p) {
        path = p.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((tag + "\0").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(group);
        out.writeBytes(author.bytes());
        out.writeBytes(ByteBuffer.allocate(8).putLong(seq).array());
        out.writeBytes(ByteBuffer.allocate(2).putShort((short) path.length).array());
        out.writeBytes(path);
        out.write(type);
        out.write(blobPresent);
        if (blobPresent == 1) {
            out.writeBytes(blob);
        }
        out.writeBytes(ByteBuffer.allocate(17).putLong(size).putLong(mtime).put((byte) executable).array());
        out.write(targetPresent);
        if (targetPresent == 1) {
            out.writeBytes(ByteBuffer.allocate(2).putShort((short) target.length).array());
            out.writeBytes(target);
        }
        out.writeBytes(ByteBuffer.allocate(10).putLong(hlc).putShort((short) vector.size()).array());
        for (Object[] e : vector) {
            out.writeBytes(((NodeId) e[0]).bytes());
            out.writeBytes(ByteBuffer.allocate(8).putLong((Long) e[1]).array());
        }
        return out.toByteArray();
    }
}
