package org.savesync.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code api.json}: what the agent writes is what the CLI reads, and nothing else is taken for it. */
class DataDirApiInfoTest {
    @TempDir
    Path tmp;

    @Test
    void readsWhatTheAgentWrote() throws IOException {
        DataDir d = new DataDir(tmp);
        assertThat(d.readApiInfo()).isEmpty();
        d.writeApiInfo(new DataDir.ApiInfo(46_647, 10_079L));
        assertThat(Files.readString(tmp.resolve(DataDir.API_FILE))).isEqualTo("{\"port\":46647,\"pid\":10079}");
        assertThat(d.readApiInfo()).contains(new DataDir.ApiInfo(46_647, 10_079L));
    }

    @Test
    void refusesAFileThatIsNotExactlyAPortAndAPid() {
        Path f = tmp.resolve(DataDir.API_FILE);
        for (String bad : new String[] {"[]", "7", "{}", "{\"port\":80}", "{\"port\":0,\"pid\":1}",
                "{\"port\":65536,\"pid\":1}", "{\"port\":\"80\",\"pid\":1}", "{\"port\":80.5,\"pid\":1}",
                "{\"port\":80,\"pid\":0}", "{\"port\":80,\"pid\":1,\"host\":\"evil\"}"}) {
            assertThatThrownBy(() -> DataDir.parseApiInfo(f, bad)).as(bad).isInstanceOf(IOException.class)
                    .hasMessageContaining(f.toString());
        }
        assertThatThrownBy(() -> DataDir.parseApiInfo(f, "{\"port\":")).isInstanceOf(IOException.class);
    }
}
