package org.savesync.core.encoding;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strict reader for this package's canonical layouts: every read checks that the bytes are
 * there, UTF-8 must be well-formed, and {@link #expectEnd()} refuses trailing bytes. Failures
 * are {@link Malformed}, which the parsers turn into their own typed exceptions.
 */
public final class ByteReader {
    private final byte[] data;
    private int pos;

    public ByteReader(byte[] data) {
        this.data = data;
    }

    /** A structural problem in the bytes; carries a message saying where. */
    public static final class Malformed extends RuntimeException {
        public Malformed(String message) {
            super(message);
        }
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return data.length - pos;
    }

    private void need(int n, String what) {
        if (n < 0 || remaining() < n) {
            throw new Malformed("truncated: " + what + " needs " + n + " bytes at offset " + pos
                    + " but only " + remaining() + " remain");
        }
    }

    public byte[] raw(int n, String what) {
        need(n, what);
        byte[] b = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    public int u8(String what) {
        need(1, what);
        return data[pos++] & 0xff;
    }

    public int u16(String what) {
        need(2, what);
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public long u64(String what) {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    /** A 0/1 byte; anything else is refused so each value has exactly one encoding. */
    public boolean bool(String what) {
        int v = u8(what);
        if (v > 1) {
            throw new Malformed(what + " must be 0 or 1, got " + v + " at offset " + (pos - 1));
        }
        return v == 1;
    }

    public String utf8(int n, String what) {
        byte[] b = raw(n, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed(what + " is not valid UTF-8");
        }
    }

    public String str8(String what) {
        return utf8(u8(what + " length"), what);
    }

    public String str16(String what) {
        return utf8(u16(what + " length"), what);
    }

    public void expectEnd(String what) {
        if (remaining() != 0) {
            throw new Malformed(remaining() + " trailing bytes after the end of the " + what);
        }
    }
}
