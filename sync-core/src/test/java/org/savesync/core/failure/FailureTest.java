package org.savesync.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a warning says after "…: ": never "null", never a wrapper's class name. */
class FailureTest {
    @TempDir
    Path tmp;

    @Test
    void anExceptionWithoutAMessageIsNamedByItsClass() {
        assertThat(Failure.describe(new ClosedChannelException())).isEqualTo("ClosedChannelException");
        assertThat(Failure.describe(new NullPointerException())).isEqualTo("NullPointerException");
        assertThat(Failure.describe(new IOException("   "))).isEqualTo("IOException");
        assertThat(Failure.describe(new IOException((String) null, new ClosedChannelException())))
                .isEqualTo("IOException: ClosedChannelException");
        IOException anonymous = new IOException() { };
        assertThat(Failure.describe(anonymous)).as("an anonymous class has no simple name")
                .isEqualTo(anonymous.getClass().getName());
        assertThat(Failure.describe(null)).isEqualTo(Failure.UNKNOWN);
    }

    @Test
    void aTimeoutOfAFutureReadsAsTimeoutException() {
        CompletableFuture<Void> never = new CompletableFuture<Void>().orTimeout(1, TimeUnit.MILLISECONDS);
        Throwable thrown = catchFrom(never::join);
        assertThat(thrown).isInstanceOf(CompletionException.class).hasCauseInstanceOf(TimeoutException.class);
        assertThat(Failure.describe(thrown)).isEqualTo("TimeoutException");
    }

    @Test
    void wrappersThatAddNothingAreLookedThrough() {
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(new IOException("the disk went away"));
        assertThat(Failure.describe(catchFrom(failed::join))).isEqualTo("the disk went away");
        assertThat(Failure.describe(catchFrom(() -> failed.get()))).isEqualTo("the disk went away");
        assertThat(Failure.describe(new CompletionException(new ExecutionException(new ClosedChannelException()))))
                .isEqualTo("ClosedChannelException");
        assertThat(Failure.describe(new RuntimeException(new IOException("no route")))).isEqualTo("no route");
        assertThat(Failure.describe(new UncheckedIOException(new IOException("no space")))).isEqualTo("no space");
        assertThat(Failure.describe(new UncheckedIOException("cannot open the index", new IOException("no space"))))
                .as("a wrapper that says something keeps it").isEqualTo("cannot open the index");
    }

    @Test
    void runningOutOfFileDescriptorsReadsTooManyOpenFilesOnAnyFile() {
        FileSystemException fse = new FileSystemException("/data/.savesync/tmp/ab12", null, "Too many open files");
        assertThat(Failure.describe(fse)).isEqualTo("too many open files");
        assertThat(Failure.describeWithoutPath(fse)).isEqualTo("too many open files");
        assertThat(Failure.describe(new IOException("Too many open files"))).isEqualTo("too many open files");
        assertThat(Failure.describe(new CompletionException(fse))).isEqualTo("too many open files");
        assertThat(Failure.describe(new IOException("accept(..) failed: Too many open files")))
                .isEqualTo("too many open files");
        String inotify = "User limit of inotify instances reached or too many open files";
        assertThat(Failure.describe(new IOException(inotify))).as("it says which limit to raise: kept whole")
                .isEqualTo(inotify);
    }

    @Test
    void aFileSystemFailureSaysOnWhichFileUnlessAskedNotTo() {
        Path missing = tmp.resolve("missing");
        Throwable real = catchFrom(() -> Files.readAllBytes(missing));
        assertThat(real).isInstanceOf(NoSuchFileException.class);
        assertThat(Failure.describe(real)).isEqualTo(missing + ": no such file");
        assertThat(Failure.describeWithoutPath(real)).isEqualTo("no such file");
        FileSystemException full = new FileSystemException("/a", "/b", "No space left on device");
        assertThat(Failure.describe(full)).isEqualTo("/a -> /b: No space left on device");
        assertThat(Failure.describeWithoutPath(full)).isEqualTo("No space left on device");
    }

    @Test
    void aCycleOfCausesEnds() {
        IOException a = new IOException((String) null);
        IOException b = new IOException((String) null);
        a.initCause(b);
        b.initCause(a);
        assertThat(Failure.describe(a)).startsWith("IOException: IOException");
    }

    @Test
    void noneOfThemSaysNull() {
        List<Throwable> all = List.of(new ClosedChannelException(), new NullPointerException(), new TimeoutException(),
                new CompletionException(new TimeoutException()), new ExecutionException((Throwable) null),
                new CompletionException((Throwable) null), new IllegalStateException((String) null), new NoSuchFileException(null),
                new FileSystemException(null));
        for (Throwable t : all) {
            assertThat(Failure.describe(t)).as("%s", t).isNotBlank().doesNotContainPattern("\\bnull\\b");
            assertThat(Failure.describeWithoutPath(t)).as("%s", t).isNotBlank().doesNotContainPattern("\\bnull\\b");
        }
    }

    private interface Failing {
        void run() throws Exception;
    }

    private static Throwable catchFrom(Failing f) {
        try {
            f.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("did not fail");
    }
}
