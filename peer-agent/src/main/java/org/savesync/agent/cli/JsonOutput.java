package org.savesync.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.savesync.core.failure.Failure;
import picocli.CommandLine.Option;

/** The {@code --json} option of the commands that print results: the API's data, pretty-printed. */
final class JsonOutput {
    @Option(names = "--json", description = "machine-readable output (the API's data)")
    boolean json;

    /** Prints {@code data} as JSON when {@code --json} was given; true if it did, so the caller prints nothing else. */
    boolean printed(JsonNode data) {
        if (json) {
            print(data);
        }
        return json;
    }

    static void print(JsonNode data) {
        try {
            System.out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(data));
        } catch (Exception e) {
            throw new CliException(CliException.FAILED, Failure.describe(e));
        }
    }
}
