package org.savesync.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What the fuzzers start from and what they found, in every ordinary run (no Jazzer): each
 * target's seeds keep its contract and at least one is accepted (so the seeds still describe the
 * format the real encoders write), and every kept regression input keeps its target's contract
 * within a deadline.
 */
class ParserSeedsTest {
    private static final String REGRESSION_DIR = "ParserFuzzTestInputs/parsers";

    @BeforeAll
    static void warmUp() {
        ParserTargets.warmUp();
    }

    @TestFactory
    Stream<DynamicTest> seedsKeepTheContractAndTheEncodersOutputIsAccepted() {
        return ParserTargets.all().stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> {
            List<byte[]> seeds = t.seeds().get();
            assertThat(seeds).as("seeds of %s", t.name()).isNotEmpty();
            int accepted = 0;
            for (byte[] seed : seeds) {
                var o = Deadline.check(t, seed);
                accepted += o.accepted() ? 1 : 0;
            }
            assertThat(accepted).as("seeds of %s the parser accepts", t.name()).isPositive();
        }));
    }

    @TestFactory
    Stream<DynamicTest> keptRegressionInputsKeepTheContract() throws IOException, URISyntaxException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : regressionInputs()) {
            byte[] data = Files.readAllBytes(p);
            tests.add(DynamicTest.dynamicTest(p.getFileName() + " (" + ParserTargets.targetOf(data).name() + ")",
                    () -> ParserTargets.run(data)));
        }
        return tests.stream();
    }

    @Test
    void targetIdsAreUniqueSoKeptInputsKeepTheirMeaning() {
        assertThat(ParserTargets.all().stream().map(ParserTarget::id)).doesNotHaveDuplicates();
        assertThat(ParserTargets.all().stream().map(ParserTarget::name)).doesNotHaveDuplicates();
    }

    static List<Path> regressionInputs() throws IOException, URISyntaxException {
        var url = ParserSeedsTest.class.getResource(REGRESSION_DIR);
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
