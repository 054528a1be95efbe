package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;

/** The removal records an agent keeps in its data dir. */
class RemovalsTest {
    @TempDir
    Path tmp;

    @Test
    void aRecordSurvivesInItsDirectoryAndIsForgottenWhenAsked() throws Exception {
        GroupId g = GroupId.random();
        Removals.Removed r = new Removals.Removed(g, NodeKey.generate().nodeId(), 1_700_000_000_000L);
        Removals.inDirectory(tmp.resolve("removed-groups")).save(r);
        Removals again = Removals.inDirectory(tmp.resolve("removed-groups"));
        assertThat(again.get(g)).contains(r);
        assertThat(again.get(GroupId.random())).isEmpty();
        again.remove(g);
        assertThat(Removals.inDirectory(tmp.resolve("removed-groups")).get(g)).isEmpty();
    }

    @Test
    void aDamagedRecordStillKeepsTheGroupStopped() throws Exception {
        GroupId g = GroupId.random();
        Files.createDirectories(tmp.resolve("d"));
        Files.write(tmp.resolve("d").resolve(g + ".removed"), new byte[] {1, 2, 3});
        assertThat(Removals.inDirectory(tmp.resolve("d")).get(g)).isPresent();
    }
}
