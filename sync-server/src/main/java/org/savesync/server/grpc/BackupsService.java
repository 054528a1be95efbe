package org.savesync.server.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.replication.Entry;
import org.savesync.server.admin.Actor;
import org.savesync.server.admin.AdminException;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.auth.Roles;
import org.savesync.server.backup.Backups;
import org.savesync.server.backup.RetentionJob;
import org.savesync.server.backup.RetentionPlan;
import org.savesync.server.grpc.v1.BackupsGrpc;
import org.savesync.server.grpc.v1.GetTreeRequest;
import org.savesync.server.grpc.v1.GetTreeResponse;
import org.savesync.server.grpc.v1.GroupRetentionRun;
import org.savesync.server.grpc.v1.ListVersionsRequest;
import org.savesync.server.grpc.v1.ListVersionsResponse;
import org.savesync.server.grpc.v1.ReadVersionRequest;
import org.savesync.server.grpc.v1.RunRetentionRequest;
import org.savesync.server.grpc.v1.RunRetentionResponse;
import org.savesync.server.grpc.v1.TreeFile;
import org.savesync.server.grpc.v1.Version;
import org.savesync.server.grpc.v1.VersionData;
import org.savesync.server.persistence.BlobReader;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.StoredVersion;

/** {@code savesync.admin.v1.Backups} over {@link Backups} and {@link RetentionJob}; failures map in {@link AdminStatus}. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@GrpcService
@Blocking
public class BackupsService extends BackupsGrpc.BackupsImplBase {
    private final Backups backups;
    private final RetentionJob retention;
    private final CatalogedChunkStore chunks;
    private final Actor actor;

    BackupsService(Backups backups, RetentionJob retention, CatalogedChunkStore chunks, Actor actor) {
        this.backups = backups;
        this.retention = retention;
        this.chunks = chunks;
        this.actor = actor;
    }

    @Override
    public void listVersions(ListVersionsRequest r, StreamObserver<ListVersionsResponse> out) {
        var b = ListVersionsResponse.newBuilder();
        for (Backups.Version v : backups.versions(AdminInput.group("groupId", r.getGroupId()),
                AdminInput.path("path", r.getPath()))) {
            StoredVersion s = v.stored();
            var w = Version.newBuilder().setId(s.id()).setPath(s.path()).setType(s.type().name()).setSize(s.size())
                    .setAuthor(s.author().toString()).setReceivedAt(AdminWire.toWire(s.receivedAt()))
                    .setCurrent(s.current());
            if (s.blob() != null) {
                w.setBlob(s.blob().toString());
            }
            if (v.authorName() != null) {
                w.setAuthorName(v.authorName());
            }
            if (s.replacedAt() != null) {
                w.setReplacedAt(AdminWire.toWire(s.replacedAt()));
            }
            b.addVersions(w);
        }
        AdminWire.reply(out, b.build());
    }

    @Override
    public void getTree(GetTreeRequest r, StreamObserver<GetTreeResponse> out) {
        Instant at = r.hasAt() ? AdminWire.fromWire("at", r.getAt()) : Instant.now();
        var b = GetTreeResponse.newBuilder();
        for (Backups.TreeFile f : backups.tree(AdminInput.group("groupId", r.getGroupId()), at,
                r.getPrefix().isEmpty() ? null : AdminInput.path("prefix", r.getPrefix()))) {
            Entry e = f.entry();
            var w = TreeFile.newBuilder().setPath(e.path().toString()).setType(e.type().name()).setSize(e.size())
                    .setVersion(f.version()).setAuthor(e.author().toString())
                    .setReceivedAt(AdminWire.toWire(f.receivedAt())).setComplete(f.complete());
            if (e.blob() != null) {
                w.setBlob(e.blob().toString());
            }
            b.addFiles(w);
        }
        AdminWire.reply(out, b.build());
    }

    @Override
    public void readVersion(ReadVersionRequest r, StreamObserver<VersionData> out) {
        Backups.FileVersion v = backups.fileVersion(AdminInput.group("groupId", r.getGroupId()), "version",
                r.getVersion());
        String what = "version " + r.getVersion() + " of '" + v.entry().path() + "'";
        List<ChunkRef> list;
        try {
            list = BlobReader.chunks(v.store(), chunks, v.entry().blob(), what);
        } catch (BlobReader.Unreadable u) {
            if (u.damaged()) {
                out.onError(Status.DATA_LOSS.withDescription(u.getMessage()).asException());
                return;
            }
            throw AdminException.failedPrecondition(u.getMessage());
        }
        try {
            BlobReader.copy(list, chunks, what, bytes -> out.onNext(VersionData.newBuilder()
                    .setData(ByteString.copyFrom(bytes)).build()));
        } catch (IOException e) {
            out.onError(Status.DATA_LOSS.withDescription(e.getMessage()).asException());
            return;
        }
        out.onCompleted();
    }

    @Override
    @RolesAllowed(Roles.ADMIN)
    public void runRetention(RunRetentionRequest r, StreamObserver<RunRetentionResponse> out) {
        RetentionJob.Report report = retention.runNow(actor.current());
        var b = RunRetentionResponse.newBuilder().setAt(AdminWire.toWire(report.at()));
        for (RetentionJob.GroupReport g : report.groups()) {
            var w = GroupRetentionRun.newBuilder().setGroupId(g.group().toString()).setVersionsBefore(g.versionsBefore())
                    .setVersionsPruned(g.versionsPruned())
                    .setPrunedForVersions(g.why().getOrDefault(RetentionPlan.Reason.VERSIONS, 0))
                    .setPrunedForDays(g.why().getOrDefault(RetentionPlan.Reason.DAYS, 0))
                    .setPrunedForQuota(g.why().getOrDefault(RetentionPlan.Reason.QUOTA, 0))
                    .setBytesBefore(g.bytesBefore()).setBytesAfter(g.bytesAfter());
            if (g.error() != null) {
                w.setError(g.error());
            }
            b.addGroups(w);
        }
        if (report.collected() != null) {
            b.setChunksDeleted(report.collected().deleted()).setBytesFreed(report.collected().bytesFreed());
        }
        if (report.collectError() != null) {
            b.setCollectError(report.collectError());
        }
        AdminWire.reply(out, b.build());
    }

    @Override
    public void getGroupStorage(org.savesync.server.grpc.v1.GetGroupStorageRequest r,
                                StreamObserver<org.savesync.server.grpc.v1.GroupStorage> out) {
        Backups.GroupStorage s = backups.storage(AdminInput.group("groupId", r.getGroupId()));
        AdminWire.reply(out, org.savesync.server.grpc.v1.GroupStorage.newBuilder().setGroupId(s.group().toString())
                .setVersions(s.versions()).setCurrentVersions(s.currentVersions()).setCurrentBytes(s.currentBytes())
                .setHistoryBytes(s.historyBytes()).setTotalBytes(s.totalBytes()).build());
    }

    @Override
    public void getHubStorage(org.savesync.server.grpc.v1.GetHubStorageRequest r,
                              StreamObserver<org.savesync.server.grpc.v1.HubStorage> out) {
        Backups.HubStorage s = backups.hubStorage();
        AdminWire.reply(out, org.savesync.server.grpc.v1.HubStorage.newBuilder().setChunks(s.chunks())
                .setBytes(s.bytes()).setReclaimableChunks(s.reclaimableChunks()).setReclaimableBytes(s.reclaimableBytes())
                .build());
    }
}
