package org.savesync.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.SignedEntry;
import org.savesync.server.admin.RetentionPolicies;
import org.savesync.server.admin.RetentionPolicy;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.grpc.AdminGrpcClient;
import org.savesync.server.grpc.v1.GetTreeRequest;
import org.savesync.server.grpc.v1.ListVersionsRequest;
import org.savesync.server.grpc.v1.ReadVersionRequest;
import org.savesync.server.grpc.v1.RunRetentionRequest;
import org.savesync.server.grpc.v1.RunRetentionResponse;
import org.savesync.server.grpc.v1.Version;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.testing.ApiAuth;
import org.savesync.server.testing.EmbeddedPostgresProfile;
import org.savesync.server.testing.TestGroups;

/**
 * {@code savesync.admin.v1.Backups} against the running hub: a path's versions, the tree now,
 * a kept version's bytes streamed and equal to what was written, a retention run that removes
 * one, and the refusals (malformed ids, unknown versions, a caller without the token).
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class BackupsGrpcTest {
    @Inject
    PgStores stores;
    @Inject
    CatalogedChunkStore chunks;
    @Inject
    RetentionPolicies policies;
    @Inject
    AuthMode auth;
    @TestHTTPResource("/")
    URL root;

    private AdminGrpcClient grpc;
    private GroupId group;
    private VersionWriter writer;

    @BeforeEach
    void aGroup() {
        grpc = new AdminGrpcClient(root.getPort(), ApiAuth.localToken(auth));
        NodeKey owner = NodeKey.generate();
        group = TestGroups.create(stores, "grpc", NodeKey.generate(), owner, NodeKey.generate());
        writer = new VersionWriter(group, owner, stores.open(group), chunks);
    }

    @AfterEach
    void close() throws Exception {
        grpc.close();
    }

    private byte[] read(String version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        grpc.backups.readVersion(ReadVersionRequest.newBuilder().setGroupId(group.toString()).setVersion(version)
                .build()).forEachRemaining(d -> out.writeBytes(d.getData().toByteArray()));
        return out.toByteArray();
    }

    private List<Version> versions(String path) {
        return grpc.backups.listVersions(ListVersionsRequest.newBuilder().setGroupId(group.toString()).setPath(path)
                .build()).getVersionsList();
    }

    @Test
    void versionsTreeContentAndARetentionRun() throws Exception {
        SignedEntry v1 = writer.write("a/b.txt");
        SignedEntry v2 = writer.write("a/b.txt");
        List<Version> vs = versions("a/b.txt");
        assertThat(vs).extracting(Version::getId).containsExactly(v2.entry().author() + ":2",
                v1.entry().author() + ":1");
        assertThat(vs.get(0).getCurrent()).isTrue();
        assertThat(vs.get(0).hasReplacedAt()).isFalse();
        assertThat(vs.get(1).hasReplacedAt()).isTrue();
        assertThat(vs.get(1).getAuthorName()).isEqualTo("owner");
        assertThat(read(vs.get(1).getId())).isEqualTo(VersionWriter.bytesOf(v1));
        assertThat(read(vs.get(0).getId())).isEqualTo(VersionWriter.bytesOf(v2));

        var tree = grpc.backups.getTree(GetTreeRequest.newBuilder().setGroupId(group.toString()).build());
        assertThat(tree.getFilesList()).singleElement().satisfies(f -> {
            assertThat(f.getPath()).isEqualTo("a/b.txt");
            assertThat(f.getVersion()).isEqualTo(vs.get(0).getId());
            assertThat(f.getComplete()).isTrue();
        });

        var storage = grpc.backups.getGroupStorage(org.savesync.server.grpc.v1.GetGroupStorageRequest.newBuilder()
                .setGroupId(group.toString()).build());
        assertThat(storage.getCurrentBytes()).isEqualTo(VersionWriter.CHUNK);
        assertThat(storage.getHistoryBytes()).isEqualTo(VersionWriter.CHUNK);
        assertThat(grpc.backups.getHubStorage(org.savesync.server.grpc.v1.GetHubStorageRequest.getDefaultInstance())
                .getBytes()).isGreaterThanOrEqualTo(2L * VersionWriter.CHUNK);

        policies.set(group, new RetentionPolicy.Change(1L, 30L, 0L, null));
        RunRetentionResponse run = grpc.backups.runRetention(RunRetentionRequest.getDefaultInstance());
        assertThat(run.getGroupsList()).filteredOn(g -> g.getGroupId().equals(group.toString())).singleElement()
                .satisfies(g -> {
                    assertThat(g.getVersionsPruned()).isEqualTo(1);
                    assertThat(g.getPrunedForVersions()).isEqualTo(1);
                    assertThat(g.getBytesBefore() - g.getBytesAfter()).isEqualTo(VersionWriter.CHUNK);
                });
        assertThat(versions("a/b.txt")).extracting(Version::getId).containsExactly(vs.get(0).getId());
        assertThat(grpc.backups.getGroupStorage(org.savesync.server.grpc.v1.GetGroupStorageRequest.newBuilder()
                .setGroupId(group.toString()).build()).getHistoryBytes()).isZero();
        assertThatThrownBy(() -> read(vs.get(1).getId())).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void refusals() throws Exception {
        writer.write("x.txt");
        for (String bad : List.of("", "nope", "x:1")) {
            assertThatThrownBy(() -> read(bad)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> versions("../x")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        try (AdminGrpcClient anonymous = new AdminGrpcClient(root.getPort(), null)) {
            assertThatThrownBy(() -> anonymous.backups.runRetention(RunRetentionRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }
}
