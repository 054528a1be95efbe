package org.savesync.server.cli.admin;

import io.grpc.ManagedChannel;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import org.savesync.server.grpc.v1.BackupsGrpc;
import org.savesync.server.grpc.v1.GetGroupStorageRequest;
import org.savesync.server.grpc.v1.GetHubStorageRequest;
import org.savesync.server.grpc.v1.GetTreeRequest;
import org.savesync.server.grpc.v1.ListVersionsRequest;
import org.savesync.server.grpc.v1.ReadVersionRequest;
import org.savesync.server.grpc.v1.RunRetentionRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The backups over gRPC ({@code savesync.admin.v1.Backups}): {@code versions GROUP PATH},
 * {@code tree GROUP [--at TIME] [--prefix DIR]}, {@code version-content GROUP VERSION --out FILE},
 * {@code storage [GROUP]} and {@code retention-run}.
 */
final class AdminBackups {
    private AdminBackups() {
    }

    static BackupsGrpc.BackupsBlockingStub stub(ManagedChannel c) {
        return BackupsGrpc.newBlockingStub(c).withDeadlineAfter(AdminLists.DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    @Command(name = "versions", description = "The versions the hub keeps of a path, newest first")
    static final class Versions extends AdminCommand.AdminCall {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Parameters(index = "1", paramLabel = "PATH", description = "a path in the group's folder, dir/name")
        String path;

        @Override
        void run(ManagedChannel c, Output out) {
            var r = stub(c).listVersions(ListVersionsRequest.newBuilder().setGroupId(group).setPath(path).build());
            out.print(r, w -> {
                if (r.getVersionsCount() == 0) {
                    w.println("the hub keeps no version of '" + path + "'");
                }
                for (var v : r.getVersionsList()) {
                    w.printf("%s  %-9s %10d bytes  by %s  received %s%s%n", v.getId(), v.getType(), v.getSize(),
                            Output.orDash(v.getAuthorName()), Output.time(v.hasReceivedAt(), v.getReceivedAt()),
                            v.getCurrent() ? "  (current)" : "  replaced " + Output.time(v.hasReplacedAt(),
                                    v.getReplacedAt()));
                }
            });
        }
    }

    @Command(name = "tree", description = "The group's files as they were at a time (now by default)")
    static final class Tree extends AdminCommand.AdminCall {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--at", paramLabel = "TIME", description = "UTC, ISO 8601: 2026-12-08T10:15:30Z")
        String at;

        @Option(names = "--prefix", paramLabel = "DIR", description = "only what is under this directory")
        String prefix;

        @Override
        void run(ManagedChannel c, Output out) {
            var req = GetTreeRequest.newBuilder().setGroupId(group);
            if (at != null) {
                Instant t;
                try {
                    t = Instant.parse(at);
                } catch (DateTimeParseException e) {
                    throw new AdminCliException("--at: '" + at + "' is not a time; give one in UTC, ISO 8601, like"
                            + " 2026-12-08T10:15:30Z");
                }
                req.setAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()));
            }
            if (prefix != null) {
                req.setPrefix(prefix);
            }
            var r = stub(c).getTree(req.build());
            out.print(r, w -> {
                for (var f : r.getFilesList()) {
                    w.printf("%-9s %10d  %s  %s%s%n", f.getType(), f.getSize(), f.getPath(), f.getVersion(),
                            f.getComplete() ? "" : "  (incomplete)");
                }
                w.printf("%d paths%n", r.getFilesCount());
            });
        }
    }

    @Command(name = "version-content", description = "Writes the bytes of a file version to a file")
    static final class Content extends AdminCommand.AdminCall {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Parameters(index = "1", paramLabel = "VERSION", description = "AUTHOR:SEQ, as `versions` lists it")
        String version;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to write it (not"
                + " overwritten: it must not exist)")
        Path file;

        @Override
        void run(ManagedChannel c, Output out) throws Exception {
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new AdminCliException("--out: " + file + " exists; give a new file");
            }
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
            long bytes = 0;
            try {
                try (OutputStream o = Files.newOutputStream(tmp)) {
                    var it = stub(c).readVersion(ReadVersionRequest.newBuilder().setGroupId(group).setVersion(version)
                            .build());
                    while (it.hasNext()) {
                        var d = it.next().getData();
                        d.writeTo(o);
                        bytes += d.size();
                    }
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            long written = bytes;
            out.print(com.google.protobuf.Struct.newBuilder().putFields("file", str(file.toString()))
                    .putFields("bytes", com.google.protobuf.Value.newBuilder().setNumberValue(written).build()).build(),
                    w -> w.printf("wrote %d bytes of %s to %s%n", written, version, file));
        }

        private static com.google.protobuf.Value str(String s) {
            return com.google.protobuf.Value.newBuilder().setStringValue(s).build();
        }
    }

    @Command(name = "storage", description = "The chunk store's bytes: a group's by current and history, or the"
            + " whole store's and what is reclaimable")
    static final class Storage extends AdminCommand.AdminCall {
        @Parameters(paramLabel = "GROUP", arity = "0..1")
        String group;

        @Override
        void run(ManagedChannel c, Output out) {
            if (group != null) {
                var s = stub(c).getGroupStorage(GetGroupStorageRequest.newBuilder().setGroupId(group).build());
                out.print(s, w -> w.printf("group %s: %d version%s (%d current); current %d bytes, history %d bytes,"
                        + " %d in all%n", s.getGroupId(), s.getVersions(), s.getVersions() == 1 ? "" : "s",
                        s.getCurrentVersions(), s.getCurrentBytes(), s.getHistoryBytes(), s.getTotalBytes()));
            } else {
                var s = stub(c).getHubStorage(GetHubStorageRequest.getDefaultInstance());
                out.print(s, w -> w.printf("chunk store: %d chunks, %d bytes; reclaimable %d chunks, %d bytes%n",
                        s.getChunks(), s.getBytes(), s.getReclaimableChunks(), s.getReclaimableBytes()));
            }
        }
    }

    @Command(name = "retention-run", description = "Applies every group's retention policy now, then deletes the"
            + " chunks nothing names")
    static final class Run extends AdminCommand.AdminCall {
        @Override
        void run(ManagedChannel c, Output out) {
            var r = stub(c).runRetention(RunRetentionRequest.getDefaultInstance());
            out.print(r, w -> {
                for (var g : r.getGroupsList()) {
                    w.printf("group %s: %d of %d versions removed (versions %d, days %d, quota %d), %d bytes released%s%n",
                            g.getGroupId(), g.getVersionsPruned(), g.getVersionsBefore(), g.getPrunedForVersions(),
                            g.getPrunedForDays(), g.getPrunedForQuota(), g.getBytesBefore() - g.getBytesAfter(),
                            g.getError().isEmpty() ? "" : "; failed: " + g.getError());
                }
                w.printf("garbage collection: %d chunks deleted, %d bytes freed%s%n", r.getChunksDeleted(),
                        r.getBytesFreed(), r.getCollectError().isEmpty() ? "" : "; failed: " + r.getCollectError());
            });
        }
    }
}
