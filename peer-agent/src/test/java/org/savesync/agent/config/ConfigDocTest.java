package org.savesync.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every key of {@link AgentConfig} with its default, and nothing else. */
class ConfigDocTest {

    @Test
    void readmeTableMatchesAgentConfig() throws Exception {
        Path readme = Path.of("..", "README.md");
        List<String> lines = Files.readAllLines(readme);
        int from = lines.indexOf("### Agent configuration");
        assertThat(from).as("README has a section '### Agent configuration'").isNotNegative();
        List<String> section = new ArrayList<>();
        for (String l : lines.subList(from + 1, lines.size())) {
            if (l.startsWith("#")) {
                break;
            }
            section.add(l);
        }
        List<String> rows = section.stream().filter(l -> l.startsWith("| `savesync.")).toList();
        List<String> documented = new ArrayList<>();
        for (String row : rows) {
            String[] cells = row.split("\\|");
            documented.add(cells[1].strip().replace("`", ""));
        }
        List<String> keys = new ArrayList<>();
        for (Method m : AgentConfig.class.getDeclaredMethods()) {
            String key = "savesync." + m.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
            keys.add(key);
            String row = rows.stream().filter(r -> r.startsWith("| `" + key + "`")).findFirst().orElse(null);
            assertThat(row).as("README row for %s", key).isNotNull();
            WithDefault d = m.getAnnotation(WithDefault.class);
            if (d != null) {
                assertThat(row.split("\\|")[2]).as("default of %s", key).contains("`" + d.value() + "`");
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(keys);
    }
}
