package org.savesync.agent.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The most common client command lines, run without building picocli's command tree (issue 11:
 * that tree took about half a {@code savesync status}; picocli's Java 5 classes cannot sit in
 * the AOT cache, so they are loaded and verified on every start). Only these exact shapes:
 *
 * <pre>
 *   [--data-dir DIR] status [--json]
 * </pre>
 *
 * <p>Anything else, and any doubt (an option it does not know, {@code --help}, a repeated option,
 * {@code --data-dir=DIR}, a value that picocli would read differently: one starting with
 * {@code -} or {@code @}, a plain word like a command's name, a path it refuses), returns empty, and the caller hands the command line
 * to picocli as before. What runs is the command's own code ({@link StatusCommand#show},
 * {@link SavesyncCommand#dataDir(Path)}, {@link Main#failed}), so output, errors and exit codes
 * are picocli's path's, byte for byte (ClientMainTest compares them).
 */
final class ClientFastPath {
    private ClientFastPath() {
    }

    /** Runs {@code args} if it is one of the shapes above, with errors on {@code err}; empty if not. */
    static OptionalInt run(List<String> args, PrintWriter err) {
        int i = 0;
        Path dataDir = null;
        if (args.size() >= 2 && args.get(0).equals("--data-dir")) {
            String value = args.get(1);
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || isWord(value)) {
                return OptionalInt.empty();
            }
            try {
                dataDir = Path.of(value); // what picocli's Path converter does
            } catch (InvalidPathException e) {
                return OptionalInt.empty(); // picocli words this one
            }
            i = 2;
        }
        List<String> rest = args.subList(i, args.size());
        boolean json;
        if (rest.equals(List.of("status"))) {
            json = false;
        } else if (rest.equals(List.of("status", "--json"))) {
            json = true;
        } else {
            return OptionalInt.empty();
        }
        try {
            StatusCommand.show(new ApiClient(SavesyncCommand.dataDir(dataDir)), json);
            return OptionalInt.of(0);
        } catch (Exception e) { // what picocli hands Main's execution exception handler
            return OptionalInt.of(Main.failed(e, err));
        }
    }

    /**
     * A value picocli may take for a command name (every subcommand's name is one word, and picocli
     * refuses one as an option's value): better picocli's path for such a rare data dir than a copy
     * of the list of names.
     */
    private static boolean isWord(String value) {
        return value.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z');
    }

    /**
     * Standard error as picocli's {@code CommandLine.getErr()} makes it (its charset:
     * {@code sun.stderr.encoding}, else the default); null when picocli would trace or pick another
     * charset, so the fast path stands aside.
     */
    static PrintWriter stderr(PrintStream err) {
        if (System.getProperty("sun.stderr.encoding") != null || System.getProperty("picocli.trace") != null) {
            return null;
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(err, Charset.defaultCharset())), true);
    }
}
