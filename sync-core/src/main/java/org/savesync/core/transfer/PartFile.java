package org.savesync.core.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.folder.SafeFolder;
import org.savesync.core.replication.SafePath;

/**
 * The temp file a {@link Transfer} assembles a file in, under {@code .savesync/tmp}. Its name
 * is derived from (blob, path), so a transfer of the same content to the same path after a
 * restart opens the same file and resumes it. Opened, written and closed on the I/O threads;
 * no fsync here (the materialiser syncs the finished file before it renames it into place).
 */
final class PartFile {
    private final Path path;
    /** Opened on an I/O thread, closed from the engine thread when the transfer is cancelled. */
    private volatile FileChannel channel;

    private PartFile(Path path) {
        this.path = path;
    }

    /**
     * The temp file for {@code blob} at {@code target}, not opened yet; fails when the temp area
     * cannot be made or something other than a regular file holds the name.
     */
    static PartFile of(SafeFolder folder, BlobId blob, SafePath target) throws IOException {
        return new PartFile(folder.tempFileFor(key(blob, target)));
    }

    /** The temp file name: stable for the same content at the same path, so a restart resumes it. */
    static String key(BlobId blob, SafePath path) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(blob.bytes());
            md.update(path.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path path() {
        return path;
    }

    /** {@link #open} got a channel (it may be closed since). */
    boolean opened() {
        return channel != null;
    }

    /**
     * I/O thread: opens the file, creating it. True when it already existed with exactly
     * {@code size} bytes, so its chunks may be re-verified and kept; otherwise it is now
     * {@code size} bytes of zeros (sparse).
     */
    boolean open(long size) throws IOException {
        boolean existed = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        channel = c;
        if (existed && c.size() == size) {
            return true;
        }
        c.truncate(0);
        if (size > 0) {
            c.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
        return false;
    }

    /** I/O thread: {@code length} bytes at {@code offset}, or null when the file ends before. */
    byte[] read(long offset, int length) throws IOException {
        return ChunkServer.readFully(channel, offset, length);
    }

    /**
     * I/O thread: writes all of {@code data} at {@code offset}.
     *
     * @throws java.nio.channels.ClosedChannelException when the file was closed meanwhile (the transfer was cancelled)
     */
    void write(byte[] data, long offset) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
            channel.write(buf, offset + buf.position());
        }
    }

    /** I/O thread: closes the finished file; a failure ends the transfer, which is retried. */
    void close() throws IOException {
        channel.close();
    }

    /** Closes the file if it is open, ignoring errors: it was abandoned, and stays for a resume. */
    void closeQuietly() {
        FileChannel c = channel;
        if (c != null && c.isOpen()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a file we only wrote to: nothing to lose, the temp file stays for resume
            }
        }
    }
}
