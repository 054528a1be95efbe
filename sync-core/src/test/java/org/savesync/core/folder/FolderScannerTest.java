package org.savesync.core.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.savesync.core.folder.FolderTestSupport.inode;
import static org.savesync.core.folder.FolderTestSupport.mtimeNanos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.folder.LocalFile.Kind;
import org.savesync.core.testsupport.TreeBuilder;
import org.savesync.core.testsupport.Workloads;

class FolderScannerTest {
    private Path base;
    private Path root;

    @BeforeEach
    void setUp() throws Exception {
        base = Workloads.tempDir("scanner");
        root = Files.createDirectory(base.resolve("folder"));
    }

    @AfterEach
    void tearDown() {
        Workloads.deleteTree(base);
    }

    @Test
    void reportsFilesDirectoriesSymlinksExecMtimeAndInodeButNotSavesync() throws Exception {
        TreeBuilder.at(root).sample().file(".savesync/tmp/partial", "secret").file("sub/.savesync", "not reserved here");

        ScanResult r = FolderScanner.scan(root);

        assertThat(r.entries()).extracting(LocalFile::path).containsExactly(
                "bin", "bin/run.sh",
                "docs", "docs/empty", "docs/empty.txt", "docs/link-to-readme", "docs/readme.txt",
                "emoji 😀 party.txt", "old.txt",
                "sub", "sub/.savesync",
                "Ünïcødé", "Ünïcødé/日本語.txt");
        assertThat(r.skipped()).isEmpty();

        LocalFile readme = r.get("docs/readme.txt").orElseThrow();
        assertThat(readme.kind()).isEqualTo(Kind.FILE);
        assertThat(readme.size()).isEqualTo(6);
        assertThat(readme.executable()).isFalse();
        assertThat(readme.inode()).isEqualTo(inode(root.resolve("docs/readme.txt")));
        assertThat(readme.mtimeNanos()).isEqualTo(mtimeNanos(root.resolve("docs/readme.txt")));
        assertThat(readme.ctimeNanos()).isPositive();

        assertThat(r.get("bin/run.sh").orElseThrow().executable()).isTrue();
        assertThat(r.get("old.txt").orElseThrow().mtimeNanos()).isEqualTo(1_500_000_000_123_456_789L);

        LocalFile dir = r.get("docs/empty").orElseThrow();
        assertThat(dir.kind()).isEqualTo(Kind.DIRECTORY);
        assertThat(dir.size()).isZero();

        LocalFile link = r.get("docs/link-to-readme").orElseThrow();
        assertThat(link.kind()).isEqualTo(Kind.SYMLINK);
        assertThat(link.symlinkTarget()).isEqualTo("readme.txt");
        assertThat(link.inode()).isEqualTo(inode(root.resolve("docs/link-to-readme")));
        assertThat(link.inode()).isNotEqualTo(readme.inode());

        assertThat(r.byPath()).hasSize(r.entries().size());
        assertThat(r.get("nope")).isEmpty();
    }

    @Test
    void aFilterLeavesPathsOutAndDoesNotEnterExcludedDirectories() throws Exception {
        TreeBuilder.at(root).file("keep.txt", "k").file("skip.tmp", "s").file("build/out.o", "o")
                .file("build/deep/x.o", "x").file("src/build", "a file named build");
        List<String> asked = new java.util.ArrayList<>();

        ScanResult r = FolderScanner.scan(root, (path, kind) -> {
            asked.add(path);
            return path.endsWith(".tmp") || (path.endsWith("build") && kind == Kind.DIRECTORY);
        });

        assertThat(r.entries()).extracting(LocalFile::path).containsExactly("keep.txt", "src", "src/build");
        assertThat(r.skipped()).isEmpty();
        assertThat(asked).doesNotContain("build/out.o", "build/deep", "build/deep/x.o");
    }

    @Test
    void symlinkToAnOutsideDirectoryIsReportedNotFollowed() throws Exception {
        Path outside = Files.createDirectory(base.resolve("outside"));
        TreeBuilder.at(outside).file("secret.txt", "secret").file("deep/er.txt", "x");
        TreeBuilder.at(root).file("inside.txt", "in").symlink("link", outside.toString());

        ScanResult r = FolderScanner.scan(root);

        assertThat(r.entries()).extracting(LocalFile::path).containsExactly("inside.txt", "link");
        assertThat(r.get("link").orElseThrow().symlinkTarget()).isEqualTo(outside.toString());
        assertThat(FolderScanner.stat(root, "link/secret.txt")).isEmpty();
        assertThat(FolderScanner.stat(root, "link")).map(LocalFile::kind).contains(Kind.SYMLINK);
    }

    @Test
    void entriesComeInPathOrderWithEachSubtreeBeforeTheNextSibling() throws Exception {
        TreeBuilder.at(root).file("a/x", "").file("a b", "").file("a.txt", "").file("B", "")
                .file("a/y/z", "").file("é", "").file("😀", "").file("\uFFFD", "");

        List<String> paths = FolderScanner.scan(root).entries().stream().map(LocalFile::path).toList();

        assertThat(paths).containsExactly("B", "a", "a/x", "a/y", "a/y/z", "a b", "a.txt", "é", "\uFFFD", "😀");
        assertThat(paths).isSortedAccordingTo(FolderScanner.PATH_ORDER);
    }

    @Test
    void namesAreReportedInNfcAndASecondSpellingOfTheSameNameIsSkipped() throws Exception {
        String nfd = "e\u0301";
        TreeBuilder.at(root).file("caf" + nfd + ".txt", "decomposed").dir("dir" + nfd);

        ScanResult r = FolderScanner.scan(root);
        assertThat(r.entries()).extracting(LocalFile::path).containsExactly("café.txt", "diré");
        assertThat(FolderScanner.stat(root, "café.txt")).map(LocalFile::size).contains(10L);

        TreeBuilder.at(root).file("café.txt", "composed");
        r = FolderScanner.scan(root);
        assertThat(r.entries()).extracting(LocalFile::path).containsExactly("café.txt", "diré");
        assertThat(r.get("café.txt").orElseThrow().size()).isEqualTo(8); // the NFC spelling wins
        assertThat(r.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(SkippedEntry.Reason.NAME_COLLISION);
            assertThat(s.rawPath()).isEqualTo("caf" + nfd + ".txt");
        });
        assertThat(r.isCoveredBySkipped("café.txt")).isFalse();
    }

    @Test
    void unsyncableEntriesAreSkippedWithAReasonAndTheScanGoesOn() throws Exception {
        TreeBuilder.at(root).file("ok.txt", "ok").file("back\\slash", "").file("tab\there", "")
                .socket("sock").dir("d").symlink("d/badlink", "line\nbreak");
        FolderTestSupport.createNonUtf8File(root.resolve("d"));

        ScanResult r = FolderScanner.scan(root);

        assertThat(r.entries()).extracting(LocalFile::path).containsExactly("d", "ok.txt");
        assertThat(r.skipped()).extracting(SkippedEntry::reason).containsExactlyInAnyOrder(
                SkippedEntry.Reason.UNSUPPORTED_NAME, SkippedEntry.Reason.UNSUPPORTED_NAME,
                SkippedEntry.Reason.SPECIAL_FILE, SkippedEntry.Reason.UNREPRESENTABLE_SYMLINK_TARGET,
                SkippedEntry.Reason.UNREPRESENTABLE_NAME);
        assertThat(r.skipped()).filteredOn(s -> s.reason() == SkippedEntry.Reason.UNREPRESENTABLE_NAME)
                .singleElement().extracting(SkippedEntry::rawPath).isEqualTo("d/bad\uFFFDname");
        assertThat(r.skipped()).allSatisfy(s -> assertThat(s.detail()).isNotBlank());
        assertThat(r.isCoveredBySkipped("sock")).isTrue();
        assertThat(r.isCoveredBySkipped("ok.txt")).isFalse();
        assertThatThrownBy(() -> FolderScanner.stat(root, "sock")).isInstanceOf(NotSyncableException.class)
                .hasMessageContaining("socket");
    }

    @Test
    void anUnreadableDirectoryIsReportedAndItsContentsMarkedSkipped() throws Exception {
        Assumptions.assumeFalse(FolderTestSupport.isRoot(), "root reads every directory");
        TreeBuilder.at(root).file("locked/inside.txt", "x");
        Files.setPosixFilePermissions(root.resolve("locked"), PosixFilePermissions.fromString("-wx------"));

        ScanResult r = FolderScanner.scan(root);

        assertThat(r.entries()).extracting(LocalFile::path).containsExactly("locked");
        assertThat(r.skipped()).extracting(SkippedEntry::reason).containsExactly(SkippedEntry.Reason.UNREADABLE);
        assertThat(r.isCoveredBySkipped("locked/inside.txt")).isTrue();
    }

    @Test
    void statReadsOnePathWithoutFollowingLinks() throws Exception {
        Path outside = Files.createDirectory(base.resolve("outside"));
        TreeBuilder.at(outside).file("f", "x");
        TreeBuilder.at(root).sample().symlink("out", outside.toString()).file("plain", "p");

        ScanResult scan = FolderScanner.scan(root);
        for (LocalFile f : scan.entries()) {
            assertThat(FolderScanner.stat(root, f.path())).contains(f);
        }
        assertThat(FolderScanner.stat(root, "missing")).isEmpty();
        assertThat(FolderScanner.stat(root, "out/f")).isEmpty();
        assertThat(FolderScanner.stat(root, "plain/below")).isEmpty();
        assertThatThrownBy(() -> FolderScanner.stat(root, "../folder/plain"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FolderScanner.stat(root, ".savesync"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRootThatIsMissingAFileOrASymlinkIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(base.resolve("link"), root);
        Path file = Files.writeString(base.resolve("file"), "x");

        assertThatThrownBy(() -> FolderScanner.scan(base.resolve("missing")))
                .isInstanceOf(FolderUnavailableException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> FolderScanner.scan(file))
                .isInstanceOf(FolderUnavailableException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> FolderScanner.scan(link))
                .isInstanceOf(FolderUnavailableException.class).hasMessageContaining("symlink");
    }

    @Test
    void scansTenThousandFiles() throws Exception {
        Path tree = Workloads.smallFilesTree("scan-10k", 10_000, 64, 7);

        ScanResult r = FolderScanner.scan(tree);

        List<LocalFile> files = r.entries().stream().filter(LocalFile::isFile).toList();
        assertThat(files).hasSize(10_000);
        assertThat(files.get(0).path()).isEqualTo("g00/s00/f0000000.bin");
        assertThat(files.get(9_999).path()).isEqualTo("g00/s09/f0009999.bin");
        assertThat(files).allSatisfy(f -> assertThat(f.size()).isEqualTo(64));
        assertThat(r.entries()).filteredOn(LocalFile::isDirectory).hasSize(11); // g00 + 10 × s..
        assertThat(r.get("g00/s05/f0005000.bin")).map(LocalFile::mtimeNanos)
                .contains(1_700_005_000_000_000_000L + 5_000);
    }
}
