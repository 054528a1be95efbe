package org.savesync.core.chunkstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.failure.Failure;

/**
 * A {@link ChunkStore} of plain files: chunk {@code abcd…} (64 lowercase hex characters) lives
 * at {@code root/ab/cd/abcd…}, two levels of 256 directories so no directory grows past a few
 * thousand entries on a hub with millions of chunks.
 *
 * <p>Writing a chunk ({@link #put}): the bytes go to a new file in {@code root/tmp}, are
 * fsynced ({@code FileChannel.force(true)}) and the file is renamed into place
 * ({@code ATOMIC_MOVE}, a {@code rename(2)} within one file system), so a crash leaves either
 * the whole chunk under its name or nothing there, plus at worst a temp file that the next
 * {@link #open} deletes. The rename itself is durable only once its directory is fsynced:
 * {@link #sync} does that for every directory touched since the last call, so a replica pays
 * one directory sync per batch of chunks, not one per chunk.
 *
 * <p>Concurrency: puts and deletes of the same chunk are serialised on one of
 * {@value #LOCK_STRIPES} striped locks, so two threads storing the same chunk write it once
 * and the counters stay exact; different chunks are written in parallel. Only one
 * {@code FileChunkStore} may use a root at a time (counters are kept in memory).
 */
public final class FileChunkStore implements ChunkStore {
    private static final Logger LOG = Logger.getLogger(FileChunkStore.class);
    /** Where chunks are written before they are renamed into place; emptied by {@link #open}. */
    public static final String TMP_DIR = "tmp";
    private static final int LOCK_STRIPES = 64;
    private static final HexFormat HEX = HexFormat.of();

    private final Path root;
    private final Path tmp;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    /** Directories whose entries changed since the last {@link #sync}. */
    private final Set<Path> unsyncedDirs = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private FileChunkStore(Path root) {
        this.root = root;
        this.tmp = root.resolve(TMP_DIR);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Opens (creating if needed) the store under {@code root}: deletes temp files a crash left
     * in {@code root/tmp} and counts the chunks in place. Files in the chunk directories that are
     * not named like a chunk are left alone and not counted.
     *
     * @throws IOException when the directory cannot be created or read
     */
    public static FileChunkStore open(Path root) throws IOException {
        FileChunkStore store = new FileChunkStore(root.toAbsolutePath().normalize());
        store.recover();
        return store;
    }

    private void recover() throws IOException {
        Files.createDirectories(tmp);
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.infof("chunk store %s: removed %d unfinished chunk files left by a crash", root, removed);
            fsyncDir(tmp);
        }
        walk((hash, file) -> {
            count.incrementAndGet();
            bytes.addAndGet(Files.size(file));
        });
    }

    /** The store's root directory. */
    public Path root() {
        return root;
    }

    /** Where chunk {@code hash} is (or would be) stored; for checks and tools, not for writing. */
    public Path pathOf(ChunkHash hash) {
        String hex = hash.toString();
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    @Override
    public boolean contains(ChunkHash hash) {
        checkOpen();
        return Files.isRegularFile(pathOf(hash));
    }

    /**
     * Stores the chunk unless a file of the same length is already there. A file of another
     * length under the name (damage: a chunk's length is fixed by its bytes) is replaced.
     * The caller has verified {@code data} against {@code hash}.
     */
    @Override
    public void put(ChunkHash hash, byte[] data) throws IOException {
        checkOpen();
        Path target = pathOf(hash);
        synchronized (lockFor(hash)) {
            long existing = sizeOrMinusOne(target);
            if (existing == data.length) {
                return;
            }
            Path dir = target.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                unsyncedDirs.add(root);
                unsyncedDirs.add(dir.getParent());
            }
            Path temp = writeTemp(hash, data);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            unsyncedDirs.add(dir);
            if (existing < 0) {
                count.incrementAndGet();
                bytes.addAndGet(data.length);
            } else {
                LOG.warnf("chunk %s on disk had %d bytes instead of %d; replaced it", hash, existing, data.length);
                bytes.addAndGet(data.length - existing);
            }
        }
    }

    private Path writeTemp(ChunkHash hash, byte[] data) throws IOException {
        while (true) {
            Path temp = tmp.resolve(hash + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
                return temp;
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same random name: draw again
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }
    }

    @Override
    public void sync() throws IOException {
        checkOpen();
        Set<Path> dirs = Set.copyOf(unsyncedDirs);
        unsyncedDirs.removeAll(dirs);
        // Deepest first: a chunk directory before the parent that records its creation.
        var ordered = dirs.stream().sorted((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount())).toList();
        for (int i = 0; i < ordered.size(); i++) {
            try {
                fsyncDir(ordered.get(i));
            } catch (IOException e) {
                unsyncedDirs.addAll(ordered.subList(i, ordered.size())); // retried by the next sync
                throw new IOException("cannot fsync chunk directory " + ordered.get(i) + ": " + Failure.describe(e)
                        + "; chunks stored since the last sync may not survive a power loss", e);
            }
        }
    }

    @Override
    public Optional<byte[]> get(ChunkHash hash) throws IOException {
        checkOpen();
        try {
            return Optional.of(Files.readAllBytes(pathOf(hash)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(ChunkHash hash) throws IOException {
        checkOpen();
        Path target = pathOf(hash);
        synchronized (lockFor(hash)) {
            long size = sizeOrMinusOne(target);
            if (size >= 0 && Files.deleteIfExists(target)) {
                count.decrementAndGet();
                bytes.addAndGet(-size);
                unsyncedDirs.add(target.getParent());
            }
        }
    }

    @Override
    public void forEach(Consumer<ChunkHash> action) throws IOException {
        checkOpen();
        walk((hash, file) -> action.accept(hash));
    }

    @Override
    public long count() {
        return count.get();
    }

    @Override
    public long bytes() {
        return bytes.get();
    }

    /** Later calls fail; chunks already stored stay (the store keeps no open files). */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "FileChunkStore[" + root + "]";
    }

    // -------------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface ChunkFileVisitor {
        void visit(ChunkHash hash, Path file) throws IOException;
    }

    /** Visits every file at {@code root/ab/cd/<64 hex>} whose name matches its directories. */
    private void walk(ChunkFileVisitor visitor) throws IOException {
        try (DirectoryStream<Path> level1 = Files.newDirectoryStream(root, FileChunkStore::isHexPairDir)) {
            for (Path d1 : level1) {
                try (DirectoryStream<Path> level2 = Files.newDirectoryStream(d1, FileChunkStore::isHexPairDir)) {
                    for (Path d2 : level2) {
                        String prefix = d1.getFileName().toString() + d2.getFileName();
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(d2)) {
                            for (Path f : files) {
                                ChunkHash hash = chunkName(f, prefix);
                                if (hash != null && Files.isRegularFile(f)) {
                                    visitor.visit(hash, f);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean isHexPairDir(Path p) {
        String n = p.getFileName().toString();
        return n.length() == 2 && isLowerHex(n) && Files.isDirectory(p);
    }

    private static ChunkHash chunkName(Path file, String prefix) {
        String n = file.getFileName().toString();
        if (n.length() != 2 * ChunkHash.LENGTH || !n.startsWith(prefix) || !isLowerHex(n)) {
            return null;
        }
        return ChunkHash.of(HEX.parseHex(n));
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static long sizeOrMinusOne(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private Object lockFor(ChunkHash hash) {
        return locks[Math.floorMod(hash.hashCode(), LOCK_STRIPES)];
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("chunk store " + root + " is closed");
        }
    }
}
