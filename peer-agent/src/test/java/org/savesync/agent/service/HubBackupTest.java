package org.savesync.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.savesync.core.engine.PeerLag;

/** The hub's line beside each group in {@code savesync status}. */
class HubBackupTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:35:05Z");

    @Test
    void upToDateBehindAheadComparing() {
        assertThat(HubBackup.of("h", true, NOW, Optional.of(new PeerLag(0, 0, 0, false, false)), NOW).text())
                .isEqualTo("hub up to date");
        HubBackup behind = HubBackup.of("h", true, NOW, Optional.of(new PeerLag(4, 3, 12_000_000, false, false)), NOW);
        assertThat(behind.text()).isEqualTo("hub is 3 files / 12.0 MB behind");
        assertThat(behind.state()).isEqualTo("behind");
        assertThat(behind.filesBehind()).isEqualTo(3);
        assertThat(behind.bytesBehind()).isEqualTo(12_000_000);
        assertThat(HubBackup.of("h", true, NOW, Optional.of(new PeerLag(2, 0, 0, false, false)), NOW).text())
                .isEqualTo("hub is 2 changes behind");
        assertThat(HubBackup.of("h", true, NOW, Optional.of(new PeerLag(PeerLag.MAX_COUNTED, 9000, 1, true, false)), NOW)
                .text()).startsWith("hub is at least 9000 files");
        assertThat(HubBackup.of("h", true, NOW, Optional.of(new PeerLag(0, 0, 0, false, true)), NOW).state())
                .isEqualTo("ahead");
        assertThat(HubBackup.of("h", true, NOW, Optional.empty(), NOW).state()).isEqualTo("comparing");
    }

    @Test
    void offlineSinceWithWhatItLacks() {
        Instant since = NOW.minusSeconds(240);
        HubBackup off = HubBackup.of("h", false, since, Optional.of(new PeerLag(1, 1, 300_000, false, false)), NOW);
        assertThat(off.text()).isEqualTo("hub offline since 2026-12-02 12:31:05 UTC (4 min ago); it lacks 1 file / 0.3 MB"
                + " this node holds");
        assertThat(off.state()).isEqualTo("offline");
        assertThat(off.offlineSinceMillis()).isEqualTo(since.toEpochMilli());
        assertThat(HubBackup.of("h", false, NOW.minusSeconds(7), Optional.empty(), NOW).text())
                .isEqualTo("hub offline since 2026-12-02 12:34:58 UTC (7 s ago)");
    }
}
