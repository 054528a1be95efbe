package org.savesync.core.encoding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Appends fixed-width big-endian integers and length-prefixed UTF-8 to a buffer: the
 * building blocks of the canonical layouts of signed records and tickets. Callers validate values first;
 * an out-of-range value here is a bug, hence {@link IllegalStateException}.
 */
public final class ByteWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public ByteWriter raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public ByteWriter u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalStateException("u8 out of range: " + v);
        }
        out.write(v);
        return this;
    }

    public ByteWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalStateException("u16 out of range: " + v);
        }
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public ByteWriter u64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    /** u8 byte length, then the UTF-8 bytes. */
    public ByteWriter str8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u8(b.length).raw(b);
    }

    /** u16 byte length, then the UTF-8 bytes. */
    public ByteWriter str16(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u16(b.length).raw(b);
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
