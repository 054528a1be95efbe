package org.savesync.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.savesync.core.engine.EngineConfig;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.TransportConfig;

/**
 * Two engines in one JVM over real QUIC on 127.0.0.1: A holds a workload, B joins and syncs
 * it. The clock starts when B has joined (A has already hashed its folder) and stops when
 * B's folder holds every byte and B is idle. Prints seconds, MB/s, chunk bytes on the wire
 * and the process's CPU seconds per GiB (both engines together).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.savesync.bench.EngineTransferBench large|small [runs]</pre>
 */
public final class EngineTransferBench {
    private EngineTransferBench() {
    }

    public static void main(String[] args) throws Exception {
        String workload = args.length > 0 ? args[0] : "large";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Double> seconds = new ArrayList<>();
        List<Double> cpuPerGiB = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double[] r = once(workload, run);
            seconds.add(r[0]);
            cpuPerGiB.add(r[1]);
        }
        seconds.sort(null);
        cpuPerGiB.sort(null);
        System.out.printf("SUMMARY workload=%s runs=%d median_seconds=%.2f median_cpu_s_per_GiB=%.1f%n", workload, runs,
                seconds.get(runs / 2), cpuPerGiB.get(runs / 2));
    }

    private static double[] once(String workload, int run) throws Exception {
        Path base = Files.createTempDirectory("savesync-bench");
        Path a = Files.createDirectories(base.resolve("a"));
        Path b = base.resolve("b");
        long bytes = switch (workload) {
            case "large" -> writeRandom(a.resolve("large.bin"), 1L << 30, new SplittableRandom(run));
            case "small" -> writeSmall(a, 10_000, 4096, run);
            case "medium" -> writeSmall(a, 1_000, 1 << 20, run);
            default -> throw new IllegalArgumentException("workload: large, medium or small");
        };
        // Everything written is on disk before the clock starts, as for the Syncthing anchor.
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        NodeKey ka = NodeKey.generate();
        NodeKey kb = NodeKey.generate();
        EngineConfig cfg = EngineConfig.defaults("bench");
        QuicNetwork na = quic(ka);
        try (SyncEngine ea = SyncEngine.start(ka, na, new InMemoryStores(), cfg);
             SyncEngine eb = SyncEngine.start(kb, quic(kb), new InMemoryStores(), cfg)) {
            long hashStart = System.nanoTime();
            GroupId g = ea.createGroup("bench", a);
            GroupHandle ga = ea.group(g).orElseThrow();
            waitFor(() -> ga.status().idle(), Duration.ofMinutes(10));
            double hashSeconds = (System.nanoTime() - hashStart) / 1e9;
            Ticket t = ea.invite(g, Duration.ofHours(1), true);
            long cpu0 = processCpuNanos();
            long served0 = ea.stats().chunkBytesServed.sum();
            long tcp0 = na.transportStats().bulkBytesSentTcp();
            long quic0 = na.transportStats().bulkBytesSentQuic();
            long t0 = System.nanoTime();
            eb.join(t, b).join();
            GroupHandle gb = eb.group(g).orElseThrow();
            waitFor(() -> gb.status().idle() && treeBytes(b) == bytes && ga.status().idle(), Duration.ofMinutes(30));
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            long wire = ea.stats().chunkBytesServed.sum() - served0;
            double cpuPerGiB = cpu / (bytes / (double) (1L << 30));
            System.out.printf("%s run=%d seconds=%.2f MB/s=%.1f bytes=%d chunk_bytes_on_wire=%d cpu_s=%.1f "
                            + "cpu_s_per_GiB=%.1f sender_hash_s=%.2f bulk_bytes_tcp=%d bulk_bytes_quic=%d%n", workload, run,
                    secs, bytes / 1e6 / secs, bytes, wire, cpu, cpuPerGiB, hashSeconds,
                    na.transportStats().bulkBytesSentTcp() - tcp0, na.transportStats().bulkBytesSentQuic() - quic0);
            return new double[] {secs, cpuPerGiB};
        } finally {
            deleteTree(base);
        }
    }

    private static QuicNetwork quic(NodeKey k) {
        // -Dsavesync.bench.bulk-lane=false: the same run with chunks on QUIC data streams only.
        boolean lane = Boolean.parseBoolean(System.getProperty("savesync.bench.bulk-lane", "true"));
        return new QuicNetwork(k, new InetSocketAddress("127.0.0.1", 0), TransportConfig.defaults().withBulkLane(lane));
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check c, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not done within " + max);
            }
            Thread.sleep(20);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long treeBytes(Path root) throws IOException {
        if (!Files.exists(root)) {
            return -1;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !root.relativize(p).toString().startsWith(".savesync"))
                    .filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static long writeRandom(Path file, long size, SplittableRandom rnd) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(4 << 20);
            for (long done = 0; done < size; ) {
                buf.clear();
                while (buf.hasRemaining()) {
                    buf.putLong(rnd.nextLong());
                }
                buf.flip();
                buf.limit((int) Math.min(buf.capacity(), size - done));
                while (buf.hasRemaining()) {
                    done += ch.write(buf);
                }
            }
            ch.force(true);
        }
        return size;
    }

    static long writeSmall(Path dir, int count, int size, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] data = new byte[size];
        for (int i = 0; i < count; i++) {
            Path d = Files.createDirectories(dir.resolve("d" + (i / 1000)));
            rnd.nextBytes(data);
            Files.write(d.resolve("f" + i + ".bin"), data);
        }
        return (long) count * size;
    }
}
