package org.savesync.core.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.savesync.core.folder.FolderTestSupport.inode;
import static org.savesync.core.folder.FolderTestSupport.listAll;
import static org.savesync.core.folder.FolderTestSupport.mtimeNanos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.TreeBuilder;
import org.savesync.core.testsupport.Workloads;

class SafeFolderTest {
    private static final long MTIME = 1_650_000_000_987_654_321L;

    private Path base;
    private Path root;
    private Path outside;
    private SafeFolder folder;

    @BeforeEach
    void setUp() throws Exception {
        base = Workloads.tempDir("safe");
        root = Files.createDirectory(base.resolve("folder"));
        outside = Files.createDirectory(base.resolve("elsewhere"));
        folder = new SafeFolder(root);
    }

    @AfterEach
    void tearDown() {
        Workloads.deleteTree(base);
    }

    private Path temp(String content) throws Exception {
        Path t = folder.newTempFile("test");
        Files.writeString(t, content);
        return t;
    }

    private LocalFile scanned(String rel) throws Exception {
        return FolderScanner.stat(root, rel).orElseThrow();
    }

    @Test
    void commitFilePutsTheWholeFileInPlaceWithItsMtimeAndExecBit() throws Exception {
        Path t = temp("#!/bin/sh\necho new\n");
        assertThat(t.getParent()).isEqualTo(root.resolve(".savesync/tmp"));
        // Before the commit only the temp area holds the data: nothing is visible at the target.
        assertThat(root.resolve("bin/tool")).doesNotExist();
        assertThat(FolderScanner.scan(root).entries()).isEmpty();

        LocalFile placed = folder.commitFile(t, "bin/tool", MTIME, true, null);

        Path target = root.resolve("bin/tool");
        assertThat(target).hasContent("#!/bin/sh\necho new\n");
        assertThat(t).doesNotExist();
        assertThat(mtimeNanos(target)).isEqualTo(MTIME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwxr-xr-x");
        assertThat(placed.sameStat(scanned("bin/tool"))).isTrue();
        assertThat(placed.executable()).isTrue();
        assertThat(listAll(root.resolve(".savesync/tmp"))).isEmpty();

        LocalFile plain = folder.commitFile(temp("data"), "data.txt", MTIME + 1, false, null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("data.txt"))))
                .isEqualTo("rw-r--r--");
        assertThat(plain.mtimeNanos()).isEqualTo(MTIME + 1);
        assertThat(folder.syncDirectories()).isEqualTo(2); // root and bin, once each
        assertThat(folder.syncDirectories()).isZero();
    }

    /** Issue 11: a download seals its temp file on its I/O thread; the commit then only checks and renames. */
    @Test
    void aSealedTempFileHasItsModeAndMtimeBeforeTheCommitWhichKeepsThem() throws Exception {
        Path t = temp("#!/bin/sh\necho sealed\n");
        folder.seal(t, "bin/sealed", MTIME, true);
        assertThat(mtimeNanos(t)).as("the temp file's mtime once sealed").isEqualTo(MTIME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t))).isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("bin/sealed")).as("sealing puts nothing in place").doesNotExist();

        LocalFile placed = folder.commitSealedFile(t, "bin/sealed", null);
        Path target = root.resolve("bin/sealed");
        assertThat(target).hasContent("#!/bin/sh\necho sealed\n");
        assertThat(mtimeNanos(target)).isEqualTo(MTIME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwxr-xr-x");
        assertThat(placed.sameStat(scanned("bin/sealed"))).isTrue();
        assertThat(listAll(root.resolve(".savesync/tmp"))).isEmpty();
    }

    @Test
    void aSealedTempFileSwappedForASymlinkIsNotCommitted() throws Exception {
        Path t = temp("data");
        folder.seal(t, "x.txt", MTIME, false);
        Files.delete(t);
        Files.createSymbolicLink(t, outside.resolve("secret"));
        assertThatThrownBy(() -> folder.commitSealedFile(t, "x.txt", null))
                .isInstanceOf(UnsafeWriteException.class).hasMessageContaining("not a regular file");
        assertThat(root.resolve("x.txt")).doesNotExist();
        assertThatThrownBy(() -> folder.seal(t, "y.txt", MTIME, false)).isInstanceOf(UnsafeWriteException.class);
        assertThatThrownBy(() -> folder.seal(temp("z"), "../escape.txt", MTIME, false))
                .isInstanceOf(UnsafeWriteException.class);
        assertThat(base.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void replacingIsAtomicAReaderOfTheOldFileKeepsTheOldWholeContent() throws Exception {
        TreeBuilder.at(root).file("doc.txt", "old content");
        LocalFile old = scanned("doc.txt");
        try (InputStream reader = Files.newInputStream(root.resolve("doc.txt"))) {
            LocalFile placed = folder.commitFile(temp("new content, longer"), "doc.txt", MTIME, false, old);

            assertThat(new String(reader.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("old content");
            assertThat(placed.inode()).isNotEqualTo(old.inode()); // a new file was renamed in, not written in place
        }
        assertThat(root.resolve("doc.txt")).hasContent("new content, longer");
    }

    @Test
    void aLocalChangeSinceTheScanIsNeverOverwritten() throws Exception {
        TreeBuilder.at(root).file("doc.txt", "v1");
        LocalFile seen = scanned("doc.txt");
        Files.writeString(root.resolve("doc.txt"), "user edit");

        Path t = temp("from peer");
        assertThatThrownBy(() -> folder.commitFile(t, "doc.txt", MTIME, false, seen))
                .isInstanceOf(LocalChangeException.class).hasMessageContaining("rescan")
                .satisfies(e -> assertThat(((LocalChangeException) e).actual().size()).isEqualTo(9));
        assertThat(root.resolve("doc.txt")).hasContent("user edit");
        assertThat(t).hasContent("from peer"); // the caller still has it

        // "nothing was there" is an expectation too
        TreeBuilder.at(root).file("new.txt", "user made it first");
        assertThatThrownBy(() -> folder.commitFile(t, "new.txt", MTIME, false, null))
                .isInstanceOf(LocalChangeException.class);
        assertThat(root.resolve("new.txt")).hasContent("user made it first");

        // and so is "it was there"
        LocalFile gone = scanned("new.txt");
        Files.delete(root.resolve("new.txt"));
        assertThatThrownBy(() -> folder.commitFile(t, "new.txt", MTIME, false, gone))
                .isInstanceOf(LocalChangeException.class);
        assertThat(root.resolve("new.txt")).doesNotExist();

        // a chmod alone is a change
        LocalFile before = scanned("doc.txt");
        Files.setPosixFilePermissions(root.resolve("doc.txt"), PosixFilePermissions.fromString("rwxr--r--"));
        assertThatThrownBy(() -> folder.commitFile(t, "doc.txt", MTIME, false, before))
                .isInstanceOf(LocalChangeException.class);
    }

    @Test
    void replaceFileReplacesAFileOrSymlinkButNeverADirectory() throws Exception {
        TreeBuilder.at(root).file("a.txt", "a").symlink("l", outside.toString()).file("d/x", "x");

        folder.replaceFile(temp("A"), "a.txt", MTIME, false);
        folder.replaceFile(temp("L"), "l", MTIME, false);

        assertThat(root.resolve("a.txt")).hasContent("A");
        assertThat(Files.isSymbolicLink(root.resolve("l"))).isFalse();
        assertThat(root.resolve("l")).hasContent("L");
        assertThat(listAll(outside)).isEmpty();
        Path t = temp("D");
        assertThatThrownBy(() -> folder.replaceFile(t, "d", MTIME, false))
                .isInstanceOf(UnsafeWriteException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> folder.commitFile(t, "d", MTIME, false, scanned("d")))
                .isInstanceOf(UnsafeWriteException.class).hasMessageContaining("directory");
        assertThat(root.resolve("d/x")).hasContent("x");
    }

    @Test
    void neverWritesThroughASymlinkedParent() throws Exception {
        TreeBuilder.at(root).symlink("link", outside.toString());
        Path t = temp("payload");

        assertThatThrownBy(() -> folder.commitFile(t, "link/x", MTIME, false, null))
                .isInstanceOf(UnsafeWriteException.class).hasMessageContaining("'link' is a symlink");
        assertThatThrownBy(() -> folder.replaceFile(t, "link/sub/x", MTIME, false))
                .isInstanceOf(UnsafeWriteException.class);
        assertThatThrownBy(() -> folder.commitSymlink("link/s", "/etc/passwd", null))
                .isInstanceOf(UnsafeWriteException.class);
        assertThatThrownBy(() -> folder.ensureParents("link/a/b"))
                .isInstanceOf(UnsafeWriteException.class);
        assertThatThrownBy(() -> folder.ensureDirectory("link", -1))
                .isInstanceOf(UnsafeWriteException.class);
        Files.writeString(outside.resolve("victim"), "keep");
        LocalFile victim = FolderScanner.scan(outside).get("victim").orElseThrow();
        assertThatThrownBy(() -> folder.delete("link/victim", victim))
                .isInstanceOf(UnsafeWriteException.class);
        assertThatThrownBy(() -> folder.setMetadata("link/victim", MTIME, true, victim))
                .isInstanceOf(UnsafeWriteException.class);

        assertThat(listAll(outside)).containsExactly("victim");
        assertThat(outside.resolve("victim")).hasContent("keep");
        assertThat(t).hasContent("payload");
        assertThat(Files.readSymbolicLink(root.resolve("link"))).isEqualTo(outside);
    }

    @Test
    void aFileInTheWayOfADirectoryIsRefused() throws Exception {
        TreeBuilder.at(root).file("f", "file");
        assertThatThrownBy(() -> folder.commitFile(temp("x"), "f/x", MTIME, false, null))
                .isInstanceOf(UnsafeWriteException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> folder.ensureDirectory("f", -1)).isInstanceOf(UnsafeWriteException.class);
        assertThat(root.resolve("f")).hasContent("file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../x", "/ABSOLUTE/x", "", "a//b", "a/", "./x", "a/./b", ".savesync/tmp/x",
            ".savesync", "nul\0byte", "back\\slash", "e\u0301", "line\nbreak"})
    void refusesPathsThatAreNotPlainRelativeNfcPaths(String value) throws Exception {
        // an absolute path into this test's own directory ("elsewhere/x"), so no file of the machine's is looked at
        String rel = value.replace("/ABSOLUTE", outside.toString());
        Path t = temp("escape");
        assertThatThrownBy(() -> folder.commitFile(t, rel, MTIME, false, null))
                .isInstanceOf(UnsafeWriteException.class).hasMessageContaining("Refusing");
        assertThatThrownBy(() -> folder.ensureDirectory(rel, -1)).isInstanceOf(UnsafeWriteException.class);
        assertThatThrownBy(() -> folder.commitSymlink(rel, "t", null)).isInstanceOf(UnsafeWriteException.class);
        assertThat(listAll(base)).containsExactlyInAnyOrder("folder", "elsewhere", "folder/.savesync",
                "folder/.savesync/tmp", "folder/.savesync/tmp/" + t.getFileName());
        assertThat(outside.resolve("x")).doesNotExist();
    }

    @Test
    void commitSymlinkReplacesTheLinkItselfNeverItsTarget() throws Exception {
        Path victim = Files.writeString(outside.resolve("victim"), "keep");
        TreeBuilder.at(root).symlink("l", victim.toString());

        LocalFile made = folder.commitSymlink("sub/new", "../l", null);
        assertThat(Files.readSymbolicLink(root.resolve("sub/new"))).isEqualTo(Path.of("../l"));
        assertThat(made.symlinkTarget()).isEqualTo("../l");

        folder.commitSymlink("l", "elsewhere/else", scanned("l"));

        assertThat(Files.readSymbolicLink(root.resolve("l"))).isEqualTo(Path.of("elsewhere/else"));
        assertThat(victim).hasContent("keep");
        assertThat(listAll(outside)).containsExactly("victim");
        assertThat(listAll(root.resolve(".savesync/tmp"))).isEmpty();

        // stale expectation: refused, and the temp link is cleaned up
        LocalFile stale = scanned("l");
        Files.delete(root.resolve("l"));
        Files.createSymbolicLink(root.resolve("l"), Path.of("user-choice"));
        assertThatThrownBy(() -> folder.commitSymlink("l", "x", stale)).isInstanceOf(LocalChangeException.class);
        assertThat(Files.readSymbolicLink(root.resolve("l"))).isEqualTo(Path.of("user-choice"));
        assertThat(listAll(root.resolve(".savesync/tmp"))).isEmpty();
        assertThatThrownBy(() -> folder.commitSymlink("m", "", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setMetadataTouchesAndChmodsWithoutFollowingLinks() throws Exception {
        Path victim = Files.writeString(outside.resolve("victim"), "keep");
        long victimMtime = mtimeNanos(victim);
        TreeBuilder.at(root).file("f", "content").symlink("l", victim.toString()).dir("d");

        LocalFile f = folder.setMetadata("f", MTIME, true, scanned("f"));
        assertThat(f.executable()).isTrue();
        assertThat(mtimeNanos(root.resolve("f"))).isEqualTo(MTIME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("f"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(folder.setMetadata("f", MTIME, false, f).executable()).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("f"))))
                .isEqualTo("rw-r--r--");
        assertThat(root.resolve("f")).hasContent("content");

        folder.setMetadata("l", MTIME, true, scanned("l"));
        assertThat(mtimeNanos(root.resolve("l"))).isEqualTo(MTIME);
        assertThat(mtimeNanos(victim)).isEqualTo(victimMtime);
        assertThat(Files.isExecutable(victim)).isFalse();

        assertThat(folder.setMetadata("d", MTIME, false, scanned("d")).mtimeNanos()).isEqualTo(MTIME);

        LocalFile stale = scanned("f");
        Files.writeString(root.resolve("f"), "edited");
        assertThatThrownBy(() -> folder.setMetadata("f", 1L, false, stale)).isInstanceOf(LocalChangeException.class);
        assertThat(folder.syncDirectories()).isPositive();
    }

    @Test
    void deleteRemovesFilesLinksAndOnlyEmptyDirectories() throws Exception {
        Path victim = Files.writeString(outside.resolve("victim"), "keep");
        TreeBuilder.at(root).file("full/x", "x").dir("empty").file("f", "f").symlink("l", victim.toString());

        assertThat(folder.delete("full", scanned("full"))).isFalse();
        assertThat(root.resolve("full/x")).exists();
        assertThat(folder.delete("empty", scanned("empty"))).isTrue();
        assertThat(folder.delete("l", scanned("l"))).isTrue();
        assertThat(victim).hasContent("keep");
        LocalFile f = scanned("f");
        Files.writeString(root.resolve("f"), "user edit");
        assertThatThrownBy(() -> folder.delete("f", f)).isInstanceOf(LocalChangeException.class);
        assertThat(root.resolve("f")).hasContent("user edit");
        assertThat(folder.delete("f", scanned("f"))).isTrue();
        assertThat(folder.delete("f", f)).isTrue(); // already gone
        assertThat(FolderScanner.scan(root).entries()).extracting(LocalFile::path).containsExactly("full", "full/x");
        assertThat(folder.syncDirectories()).isEqualTo(1);
    }

    @Test
    void ensureDirectoryCreatesEachComponentAndSetsTheMtime() throws Exception {
        LocalFile d = folder.ensureDirectory("a/b/c", MTIME);
        assertThat(d.isDirectory()).isTrue();
        assertThat(mtimeNanos(root.resolve("a/b/c"))).isEqualTo(MTIME);
        assertThat(folder.ensureDirectory("a/b/c", -1).inode()).isEqualTo(d.inode());
        folder.ensureParents("x/y/z");
        assertThat(root.resolve("x/y")).isDirectory();
        assertThat(root.resolve("x/y/z")).doesNotExist();
        assertThat(folder.syncDirectories()).isEqualTo(5); // root, a, b, c (mtime), x
    }

    @Test
    void writesGoToAnExistingNonNfcSpellingInsteadOfMakingADuplicate() throws Exception {
        String nfd = "Cafe\u0301";
        TreeBuilder.at(root).file(nfd + "/menu.txt", "old");
        LocalFile seen = scanned("Café/menu.txt");

        folder.commitFile(temp("new"), "Café/menu.txt", MTIME, false, seen);
        folder.commitFile(temp("more"), "Café/other.txt", MTIME, false, null);

        assertThat(listAll(root)).containsExactlyInAnyOrder(nfd, nfd + "/menu.txt", nfd + "/other.txt",
                ".savesync", ".savesync/tmp");
        assertThat(root.resolve(nfd + "/menu.txt")).hasContent("new");
        assertThat(folder.delete("Café/menu.txt", scanned("Café/menu.txt"))).isTrue();
    }

    @Test
    void theTempAreaMustBeARealDirectory() throws Exception {
        Path other = Files.createDirectory(base.resolve("other"));
        Path root2 = Files.createDirectory(base.resolve("folder2"));
        Files.createSymbolicLink(root2.resolve(".savesync"), outside);
        SafeFolder f2 = new SafeFolder(root2);
        assertThatThrownBy(() -> f2.newTempFile("x")).isInstanceOf(UnsafeWriteException.class)
                .hasMessageContaining(".savesync").hasMessageContaining("symlink");
        assertThatThrownBy(() -> f2.commitSymlink("a", "b", null)).isInstanceOf(UnsafeWriteException.class);
        assertThat(listAll(outside)).isEmpty();

        Path root3 = Files.createDirectory(base.resolve("folder3"));
        TreeBuilder.at(root3).file(".savesync/tmp", "a file");
        SafeFolder f3 = new SafeFolder(root3);
        assertThatThrownBy(() -> f3.newTempFile("x")).isInstanceOf(UnsafeWriteException.class)
                .hasMessageContaining("tmp");

        Path root4 = Files.createDirectory(base.resolve("folder4"));
        TreeBuilder.at(root4).symlink(".savesync/tmp", other.toString());
        assertThatThrownBy(() -> new SafeFolder(root4).tempFileFor("ab")).isInstanceOf(UnsafeWriteException.class);
        assertThat(listAll(other)).isEmpty();

        assertThatThrownBy(() -> new SafeFolder(base.resolve("missing"))).isInstanceOf(FolderUnavailableException.class);
        Path linkRoot = Files.createSymbolicLink(base.resolve("linkroot"), root);
        assertThatThrownBy(() -> new SafeFolder(linkRoot)).isInstanceOf(FolderUnavailableException.class);
    }

    @Test
    void aTempFileFromElsewhereIsRefused() throws Exception {
        Path stray = Files.writeString(base.resolve("stray"), "x");
        Path nested = Files.createDirectories(root.resolve(".savesync/tmp/nested")).resolve("f");
        Files.writeString(nested, "x");
        assertThatThrownBy(() -> folder.commitFile(stray, "a", MTIME, false, null))
                .isInstanceOf(UnsafeWriteException.class).hasMessageContaining("newTempFile");
        assertThatThrownBy(() -> folder.commitFile(nested, "a", MTIME, false, null))
                .isInstanceOf(UnsafeWriteException.class);
        assertThat(root.resolve("a")).doesNotExist();
    }

    @Test
    void resumableTempFilesAreStableAndCleanTempKeepsWhatTheCallerKeeps() throws Exception {
        Path r1 = folder.tempFileFor("ABCdef0123");
        assertThat(folder.tempFileFor("abcdef0123")).isEqualTo(r1);
        assertThat(r1.getParent()).isEqualTo(folder.tempDirectory());
        assertThatThrownBy(() -> folder.tempFileFor("../x")).isInstanceOf(IllegalArgumentException.class);
        Files.writeString(r1, "partial");
        Path stale = temp("stale");
        Files.createDirectories(folder.tempDirectory().resolve("junk/deeper"));
        Files.createSymbolicLink(folder.tempDirectory().resolve("junk/deeper/link"), outside);
        Files.writeString(outside.resolve("victim"), "keep");

        assertThat(folder.cleanTemp(p -> p.equals(r1))).isEqualTo(2);

        assertThat(r1).hasContent("partial");
        assertThat(stale).doesNotExist();
        assertThat(listAll(folder.tempDirectory())).containsExactly(r1.getFileName().toString());
        assertThat(outside.resolve("victim")).hasContent("keep");

        Files.delete(r1);
        Files.createSymbolicLink(r1, outside.resolve("victim"));
        assertThatThrownBy(() -> folder.tempFileFor("abcdef0123")).isInstanceOf(UnsafeWriteException.class);
        assertThat(new SafeFolder(Files.createDirectory(base.resolve("fresh"))).cleanTemp(p -> false)).isZero();
    }

    /** Moves {@code rel} aside and puts a symlink to {@code outside} in its place. */
    private Consumer<String> swapForLink(String rel) {
        return ignored -> {
            try {
                Files.move(root.resolve(rel), root.resolve(rel + "-aside"));
                Files.createSymbolicLink(root.resolve(rel), outside);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Test
    void aParentSwappedForASymlinkRightBeforeTheRenameDoesNotRedirectIt() throws Exception {
        folder.ensureDirectory("a/b", -1);
        folder.beforeChange = swapForLink("a");

        folder.commitFile(temp("payload"), "a/b/x", MTIME, false, null);

        assertThat(listAll(outside)).isEmpty();
        assertThat(root.resolve("a-aside/b/x")).hasContent("payload"); // went where the check looked
    }

    @Test
    void aParentSwappedForASymlinkRightBeforeTheUnlinkDoesNotRedirectIt() throws Exception {
        TreeBuilder.at(root).file("a/x", "mine");
        Files.writeString(outside.resolve("x"), "victim");
        folder.beforeChange = swapForLink("a");

        assertThat(folder.delete("a/x", scanned("a/x"))).isTrue();

        assertThat(outside.resolve("x")).hasContent("victim");
        assertThat(root.resolve("a-aside/x")).doesNotExist();
    }

    @Test
    void aParentSwappedForASymlinkRightBeforeALinkIsPlacedDoesNotRedirectIt() throws Exception {
        folder.ensureDirectory("a", -1);
        folder.beforeChange = swapForLink("a");

        folder.commitSymlink("a/l", "/etc", null);

        assertThat(listAll(outside)).isEmpty();
        assertThat(Files.readSymbolicLink(root.resolve("a-aside/l"))).isEqualTo(Path.of("/etc"));
    }

    @Test
    void aParentSwappedForASymlinkWhileCommittingNeverLetsAFileOut() throws Exception {
        Path a = root.resolve("a");
        Files.createDirectory(a);
        AtomicBoolean done = new AtomicBoolean();
        Thread swapper = Thread.ofPlatform().start(() -> {
            // Swap 'a' for a symlink to the outside and back, as fast as possible, until told to stop.
            for (int i = 0; !done.get(); i++) {
                Path aside = root.resolve("aside-" + i);
                try {
                    Files.move(a, aside);
                } catch (Exception e) {
                    continue; // 'a' is missing right now; the committer may recreate it
                }
                try {
                    Files.createSymbolicLink(a, outside);
                    Files.delete(a);
                } catch (Exception e) {
                    // the committer recreated 'a' in between
                }
                try {
                    Files.move(aside, a);
                } catch (Exception e) {
                    // 'a' exists again; this one stays aside, inside the folder
                }
            }
        });
        int committed = 0;
        try {
            for (int i = 0; i < 200; i++) {
                Path t = temp("payload " + i);
                try {
                    folder.commitFile(t, "a/f" + i, MTIME, false, null);
                    committed++;
                } catch (IOException e) {
                    Files.deleteIfExists(t); // refused or raced: fine, as long as nothing got out
                }
            }
        } finally {
            done.set(true);
            swapper.join();
        }

        try (var files = Files.walk(outside)) {
            List<Path> leaked = files.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
            assertThat(leaked).isEmpty();
        }
        assertThat(committed).isPositive();
    }
}
