package org.savesync.server.cli.admin;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.savesync.server.cli.HubCommand;
import picocli.CommandLine.Option;

/**
 * Where the hub is and which token to send: the options every admin subcommand shares. The
 * token comes from, first found: {@code --token}, {@code --token-file}, {@code
 * $SAVESYNC_ADMIN_TOKEN}, {@code --data-dir}'s {@code admin-token} (the hub's local token).
 */
public final class HubConnection {
    /** The environment variable holding a token. */
    public static final String TOKEN_ENV = "SAVESYNC_ADMIN_TOKEN";
    /** The hub's local admin token in its data dir. */
    public static final String TOKEN_FILE = "admin-token";
    /** Longest token read from a file or the environment (a Keycloak access token is a few KB). */
    static final int MAX_TOKEN = 64 * 1024;

    @Option(names = "--hub", paramLabel = "HOST:PORT", description = "the hub's HTTP port (default 127.0.0.1:"
            + HubCommand.DEFAULT_HTTP_PORT + ")")
    String hub;

    @Option(names = "--token", paramLabel = "TOKEN", description = "the bearer token (visible to other users in the"
            + " process list: prefer --token-file or $" + TOKEN_ENV + ")")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the bearer token")
    Path tokenFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the hub's data dir: its local token DIR/"
            + TOKEN_FILE + " is used when no other token is given")
    Path dataDir;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--json", description = "print the answers as JSON (events: one object per line)")
    boolean json;

    /** The hub's {@code HOST:PORT}: {@code --hub}, or 127.0.0.1 and the default HTTP port. */
    String address() {
        return hub != null ? hub : "127.0.0.1:" + HubCommand.DEFAULT_HTTP_PORT;
    }

    /**
     * Takes what this command was not given from {@code outer}, the options given before it
     * (to {@code admin} or a parent command): {@code admin --hub H --data-dir D groups} works as
     * {@code admin groups --hub H --data-dir D}, and what is given after the command wins.
     */
    void inheritFrom(HubConnection outer) {
        hub = hub != null ? hub : outer.hub;
        token = token != null ? token : outer.token;
        tokenFile = tokenFile != null ? tokenFile : outer.tokenFile;
        dataDir = dataDir != null ? dataDir : outer.dataDir;
        json = json || outer.json;
    }

    /** The token to send, from the first source given. */
    String token(Map<String, String> env) {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        if (tokenFile != null) {
            return read(tokenFile, "--token-file");
        }
        String fromEnv = env.get(TOKEN_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            if (fromEnv.length() > MAX_TOKEN) {
                throw new AdminCliException("$" + TOKEN_ENV + " is longer than " + MAX_TOKEN + " characters; is it a"
                        + " token?");
            }
            return fromEnv.strip();
        }
        if (dataDir != null) {
            return read(dataDir.resolve(TOKEN_FILE), "--data-dir");
        }
        throw new AdminCliException("no admin token: pass --token-file FILE (the hub's own is DATA_DIR/" + TOKEN_FILE
                + ", or give --data-dir DATA_DIR) or set " + TOKEN_ENV);
    }

    private static String read(Path file, String option) {
        try {
            if (Files.size(file) > MAX_TOKEN) {
                throw new AdminCliException(option + ": " + file + " is larger than " + MAX_TOKEN + " bytes; is it a"
                        + " token file?");
            }
            String t = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (t.isEmpty()) {
                throw new AdminCliException(option + ": " + file + " is empty");
            }
            return t;
        } catch (IOException e) {
            throw new AdminCliException(option + ": cannot read the token file " + file + " (" + e.getClass()
                    .getSimpleName() + ": " + e.getMessage() + "); pass --token-file FILE or set " + TOKEN_ENV);
        }
    }

    /** A plaintext HTTP/2 channel to the hub that sends {@code authorization: Bearer TOKEN} on every call. */
    ManagedChannel open(Map<String, String> env) {
        String t = token(env);
        String hub = address();
        if (!hub.matches("[^\\s/]+:\\d{1,5}")) {
            throw new AdminCliException("--hub must be HOST:PORT (the hub's --http-port), not '" + hub + "'");
        }
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + t);
        return NettyChannelBuilder.forTarget(hub).usePlaintext().intercept(MetadataUtils.newAttachHeadersInterceptor(m))
                .build();
    }

    static void close(ManagedChannel c) {
        c.shutdownNow();
        try {
            c.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
