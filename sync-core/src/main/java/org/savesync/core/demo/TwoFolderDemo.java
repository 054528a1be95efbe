package org.savesync.core.demo;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * Two engines, two folders, real QUIC on 127.0.0.1: A creates a group, B joins it with a
 * ticket, a file written in A's folder shows up in B's. Then both folders are rescanned
 * every second, so files dropped into either side cross over, until Ctrl-C.
 * (The peer agent of the next milestone adds a file watcher, a persistent index and a CLI.)
 *
 * <pre>java org.savesync.core.demo.TwoFolderDemo [DIR]   # DIR defaults to ./demo-data</pre>
 */
public final class TwoFolderDemo {
    private TwoFolderDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : "demo-data").toAbsolutePath();
        Path a = Files.createDirectories(base.resolve("a"));
        Path b = Files.createDirectories(base.resolve("b"));
        NodeKey ka = NodeKey.loadOrCreate(base.resolve("keys/a"));
        NodeKey kb = NodeKey.loadOrCreate(base.resolve("keys/b"));
        EngineConfig cfg = EngineConfig.defaults("demo").withTimings(Duration.ofSeconds(1), Duration.ofSeconds(10));
        try (SyncEngine ea = SyncEngine.start(ka, quic(ka), new InMemoryStores(), cfg);
             SyncEngine eb = SyncEngine.start(kb, quic(kb), new InMemoryStores(), cfg)) {
            System.out.println("A: node " + ea.nodeId() + " listening on " + ea.listenAddresses() + ", folder " + a);
            System.out.println("B: node " + eb.nodeId() + " listening on " + eb.listenAddresses() + ", folder " + b);
            GroupId g = ea.createGroup("demo", a);
            Ticket ticket = ea.invite(g, Duration.ofHours(1), true);
            System.out.println("A created group " + g + "; invite ticket:\n  " + ticket.text());
            eb.join(Ticket.parse(ticket.text()), b).get(30, TimeUnit.SECONDS);
            System.out.println("B joined through the ticket (QUIC, mutual TLS with both node keys).");

            GroupHandle ga = ea.group(g).orElseThrow();
            GroupHandle gb = eb.group(g).orElseThrow();
            String name = "hello-" + Instant.now().getEpochSecond() + ".txt";
            String text = "Hello from A at " + Instant.now() + "\n";
            Files.writeString(a.resolve(name), text);
            ga.scan().get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Path arrived = b.resolve(name);
            while (!(Files.exists(arrived) && Files.readString(arrived).equals(text))) {
                if (System.nanoTime() > deadline) {
                    System.err.println("the file did not reach B within 60 s; peers: A " + ga.status() + ", B "
                            + gb.status());
                    System.exit(1);
                }
                Thread.sleep(50);
            }
            System.out.println("OK: " + name + " written in " + a + " arrived in " + b + " with the same bytes.");
            System.out.println("Both folders are now kept in sync (rescanned every second): drop files into either.");
            System.out.println("Stop with Ctrl-C. The folders stay in " + base + "; delete it to start afresh.");

            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            while (!stop.await(1, TimeUnit.SECONDS)) {
                ga.scan();
                gb.scan();
            }
        }
    }

    private static QuicNetwork quic(NodeKey k) {
        return new QuicNetwork(k, new InetSocketAddress("127.0.0.1", 0), TransportConfig.defaults());
    }
}
