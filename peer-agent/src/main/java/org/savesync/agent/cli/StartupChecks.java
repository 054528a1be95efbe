package org.savesync.agent.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.savesync.agent.service.DataDir;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.core.failure.Failure;

/**
 * What {@code savesync run} checks before it starts anything, so that the common start-up
 * faults (a port in use, a data dir that cannot be written, a bad address) end in one line
 * that says what to do instead of a failed application start. The agent checks again when it
 * starts (a port can be taken in between); {@link StartupFault} words what it finds then.
 */
final class StartupChecks {
    private StartupChecks() {
    }

    /** The data dir exists (made owner-only if missing), is a directory, and this user can write in it. */
    static DataDir dataDir(DataDir dir) {
        Path p = dir.path();
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new CliException(CliException.FAILED, "the data dir " + p + " is not a directory; choose another"
                    + " with --data-dir DIR");
        }
        try {
            dir.create();
        } catch (RuntimeException e) {
            throw new CliException(CliException.FAILED, Failure.describe(e) + "; choose another with --data-dir DIR");
        }
        try {
            Path probe = Files.createTempFile(p, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot write in the data dir " + p + " (" + Failure.describe(e)
                    + "); fix its permissions or choose another with --data-dir DIR");
        }
        return dir;
    }

    /**
     * The QUIC address parses and its UDP port is free.
     *
     * @param source what set it ({@code --listen}, {@code SAVESYNC_LISTEN}), for the message
     */
    static void udpListen(String listen, String source) {
        InetSocketAddress a;
        try {
            a = QuicNetwork.parseAddress(listen.strip());
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.FAILED, source + ": " + e.getMessage() + "; write HOST:PORT, e.g."
                    + " 0.0.0.0:22100");
        }
        if (a.isUnresolved()) {
            throw new CliException(CliException.FAILED, source + ": cannot resolve the host '" + a.getHostString()
                    + "'; write HOST:PORT with an address of this machine, e.g. 0.0.0.0:22100");
        }
        try (DatagramSocket s = new DatagramSocket(null)) {
            s.bind(a);
        } catch (BindException e) {
            throw new CliException(CliException.FAILED, "UDP " + listen.strip() + " is "
                    + (isInUse(e) ? "in use (another agent?)" : "not available here (" + Failure.describe(e) + ")")
                    + "; choose another with --listen HOST:PORT");
        } catch (SocketException e) {
            throw new CliException(CliException.FAILED, "cannot listen on UDP " + listen.strip() + ": " + Failure.describe(e)
                    + "; choose another with --listen HOST:PORT");
        }
    }

    /** The local API's TCP port on 127.0.0.1 is free. */
    static void apiPort(int port) {
        if (port < 1 || port > 65535) {
            throw new CliException(CliException.FAILED, "--api-port: " + port + " is not a port (1 to 65535)");
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "the local API port " + port + " (TCP, 127.0.0.1) is in use;"
                    + " choose another with --api-port PORT, or leave it out to take a free one");
        }
    }

    private static boolean isInUse(BindException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("in use");
    }
}
