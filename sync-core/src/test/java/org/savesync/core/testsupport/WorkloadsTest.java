package org.savesync.core.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class WorkloadsTest {
    /** Crosses the 4 MiB generation buffer and ends mid-long. */
    private static final int SIZE = (5 << 20) + 3;
    private static final long SEED = 42;

    private Path base;

    @BeforeEach
    void setUp() {
        base = Workloads.tempDir("workloads");
    }

    @AfterEach
    void tearDown() {
        Workloads.deleteTree(base);
    }

    private static long inode(Path p) throws Exception {
        return (Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void randomBytesAreTheLittleEndianLongsOfTheSeed() {
        SplittableRandom r = new SplittableRandom(SEED);
        ByteBuffer expected = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(r.nextLong()).putLong(r.nextLong()).putLong(r.nextLong());
        assertThat(Workloads.randomBytes(SEED, 21)).containsExactly(java.util.Arrays.copyOf(expected.array(), 21));
        assertThat(Workloads.randomBytes(SEED + 1, 21)).isNotEqualTo(Workloads.randomBytes(SEED, 21));
    }

    @Test
    void aRandomFileIsDeterministicCachedAndRegeneratedWhenIncomplete() throws Exception {
        Path f = Workloads.randomFile("workloads-test-5m", SIZE, SEED);
        assertThat(f.getParent()).isEqualTo(Workloads.cacheDir());
        assertThat(Files.size(f)).isEqualTo(SIZE);
        assertThat(Manifest.sha256(f)).isEqualTo(sha256(Workloads.randomBytes(SEED, SIZE)));
        Path marker = f.resolveSibling(f.getFileName() + ".complete");
        assertThat(marker).exists();

        long ino = inode(f);
        assertThat(Workloads.randomFile("workloads-test-5m", SIZE, SEED)).isEqualTo(f);
        assertThat(inode(f)).as("reused, not regenerated").isEqualTo(ino);

        Files.delete(marker); // as if a run died before finishing
        Workloads.randomFile("workloads-test-5m", SIZE, SEED);
        assertThat(inode(f)).as("regenerated").isNotEqualTo(ino);
        assertThat(marker).exists();
        assertThat(Manifest.sha256(f)).isEqualTo(sha256(Workloads.randomBytes(SEED, SIZE)));

        long ino2 = inode(f);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(SIZE - 1); // a truncated file with a marker
        }
        Workloads.randomFile("workloads-test-5m", SIZE, SEED);
        assertThat(inode(f)).isNotEqualTo(ino2);
        assertThat(Files.size(f)).isEqualTo(SIZE);

        assertThat(Files.list(Workloads.cacheDir()).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.contains(".tmp-") || n.contains(".old-"));
        assertThatThrownBy(() -> Workloads.randomFile("workloads-test-5m", SIZE, SEED + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another name");
        assertThatThrownBy(() -> Workloads.randomFile("../escape", 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void smallFilesAreDeterministicAndAtMostAThousandPerDirectory() throws Exception {
        List<String> one = Workloads.writeSmallFiles(base.resolve("one"), 1_001, 100, SEED);

        assertThat(one).hasSize(1_001);
        assertThat(one.get(999)).isEqualTo("g00/s00/f0000999.bin");
        assertThat(one.get(1_000)).isEqualTo("g00/s01/f0001000.bin");
        try (var s00 = Files.list(base.resolve("one/g00/s00"))) {
            assertThat(s00.count()).isEqualTo(1000);
        }
        assertThat(Files.readAllBytes(base.resolve("one").resolve(one.get(7))))
                .isEqualTo(Workloads.randomBytes(SEED + 7, 100));

        // The cached tree (made by this or an earlier run) has the very same names, bytes and mtimes.
        Path cached = Workloads.smallFilesTree("workloads-test-small", 1_001, 100, SEED);
        Manifest.assertSame(Manifest.of(cached), Manifest.of(base.resolve("one")));
        assertThat(Workloads.smallFilesTree("workloads-test-small", 1_001, 100, SEED)).isEqualTo(cached);

        Workloads.writeSmallFiles(base.resolve("other-seed"), 1, 100, SEED + 1);
        assertThat(Files.readAllBytes(base.resolve("other-seed").resolve(one.get(0))))
                .isNotEqualTo(Files.readAllBytes(base.resolve("one").resolve(one.get(0))));
    }

    @Test
    void hardlinkOrCopySharesTheInodeOnOneFileSystem() throws Exception {
        Path src = Workloads.randomFile("workloads-test-link", 4096, SEED);
        Path dst = base.resolve("sub/linked.bin");

        Workloads.hardlinkOrCopy(src, dst);

        assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
        assertThat(inode(dst)).isEqualTo(inode(src));
        assertThatThrownBy(() -> Workloads.hardlinkOrCopy(src, dst)).hasMessageContaining("linked.bin");
    }

    @Test
    void hardlinkOrCopyCopiesAcrossFileSystems() throws Exception {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm)
                && !Files.getFileStore(shm).equals(Files.getFileStore(base)), "needs a second file system");
        Path src = Workloads.randomFile("workloads-test-link", 4096, SEED);
        Path dst = Files.createTempDirectory(shm, "savesync-wl").resolve("copied.bin");
        try {
            Workloads.hardlinkOrCopy(src, dst);
            assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
            assertThat(inode(dst)).isNotEqualTo(inode(src));
        } finally {
            Workloads.deleteTree(dst.getParent());
        }
    }

    @Test
    void tempDirsLiveUnderTargetAndDeleteTreeCopesWithLockedDirectories() throws Exception {
        Path t = Workloads.tempDir("x");
        assertThat(t.getParent()).isEqualTo(Workloads.moduleDir().resolve("target/test-tmp"));
        TreeBuilder.at(t).file("locked/f", "x").symlink("link", base.toString());
        Files.setPosixFilePermissions(t.resolve("locked"), PosixFilePermissions.fromString("---------"));

        Workloads.deleteTree(t);

        assertThat(t).doesNotExist();
        assertThat(base).exists(); // the link was removed, not followed
    }

    @Test
    @EnabledIfSystemProperty(named = "savesync.test.big", matches = "true")
    void oneGiBFile() throws Exception {
        Path f = Workloads.oneGiBFile();
        assertThat(Files.size(f)).isEqualTo(Workloads.ONE_GIB);
        byte[] head = new byte[4096];
        try (var in = Files.newInputStream(f)) {
            assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
        }
        assertThat(head).isEqualTo(Workloads.randomBytes(Workloads.ONE_GIB_SEED, 4096));
    }
}
