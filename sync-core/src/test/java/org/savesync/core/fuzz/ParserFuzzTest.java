package org.savesync.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of every parser in {@link ParserTargets} with Jazzer (libFuzzer),
 * starting from the real encoders' output. Runs only in sync-core's surefire execution
 * {@code fuzz} (see its pom), which sets {@code JAZZER_FUZZ}, keeps Jazzer's files under
 * {@code target/fuzz} and bounds the run ({@code -Dsavesync.fuzz.duration}, 60 s by default;
 * {@code bench/fuzz.sh} runs longer). A finding fails the build with a
 * {@link ParserContractViolation} naming the parser and the input; libFuzzer also writes the
 * input to {@code target/fuzz/crash-*}. Keep it as a regression input by copying it into
 * {@code src/test/resources/org/savesync/core/fuzz/ParserFuzzTestInputs/parsers/}, where
 * {@link ParserSeedsTest} replays it in every run.
 *
 * <p>Jazzer fuzzes one {@code @FuzzTest} per JVM (a second one is skipped), hence one test that
 * dispatches on the input's first byte.
 */
class ParserFuzzTest {
    private static final Map<String, long[]> STATS = new TreeMap<>();

    @BeforeAll
    static void seedCorpus() throws IOException {
        String base = System.getProperty("jazzer.internal.basedir");
        if (base == null) {
            return;
        }
        // Where Jazzer 0.30 keeps the corpus it grows for this test; the seeds start it off.
        Path corpus = Path.of(base, ".cifuzz-corpus", ParserFuzzTest.class.getName(), "parsers");
        Files.createDirectories(corpus);
        for (ParserTarget t : ParserTargets.selected()) {
            List<byte[]> seeds = t.seeds().get();
            for (int i = 0; i < seeds.size(); i++) {
                Files.write(corpus.resolve("seed-" + t.id() + "-" + i), ParserTargets.fuzzInput(t, seeds.get(i)));
            }
        }
    }

    /** No JUnit {@code @Timeout} here: JUnit would apply it to the whole fuzzing run; {@link Deadline} bounds each input. */
    @FuzzTest(maxDuration = "60s")
    void parsers(byte[] data) {
        ParserTarget.Outcome o = ParserTargets.run(data);
        long[] s = STATS.computeIfAbsent(ParserTargets.targetOf(data).name(), k -> new long[3]);
        s[0]++;
        s[1] += o.accepted() ? 1 : 0;
        s[2] = Math.max(s[2], o.allocatedBytes());
    }

    @AfterAll
    static void report() {
        STATS.forEach((name, s) -> System.out.printf("fuzz %-28s %9d inputs, %8d accepted, most allocated by one: %d bytes%n",
                name, s[0], s[1], s[2]));
    }
}
