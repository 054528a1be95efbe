package org.savesync.core.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.savesync.core.encoding.ByteReader;
import org.savesync.core.encoding.ByteWriter;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Leave;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.SignedRecord;

/**
 * Leave requests this node made that the group's authority has not acknowledged yet: kept so
 * that a leave made while the authority is offline reaches it later, after restarts too.
 * At most one per group; {@value #MAX} in all (a node is in a handful of groups).
 */
public interface PendingLeaves {
    int MAX = 1_024;

    /** One leave waiting for its authority's answer. */
    record PendingLeave(GroupId group, NodeId authority, List<String> addresses, SignedRecord leave) {
        public PendingLeave {
            addresses = List.copyOf(addresses);
        }
    }

    List<PendingLeave> all();

    void save(PendingLeave p);

    void remove(GroupId group);

    /** Kept in memory only (tests, and nodes without a data dir). */
    static PendingLeaves inMemory() {
        Map<GroupId, PendingLeave> m = new ConcurrentHashMap<>();
        return new PendingLeaves() {
            @Override
            public List<PendingLeave> all() {
                return List.copyOf(m.values());
            }

            @Override
            public void save(PendingLeave p) {
                if (m.size() >= MAX && !m.containsKey(p.group())) {
                    throw new IllegalStateException("already " + MAX + " leaves wait for their authorities");
                }
                m.put(p.group(), p);
            }

            @Override
            public void remove(GroupId group) {
                m.remove(group);
            }
        };
    }

    /** One small file per group in {@code dir} (created when needed), written atomically. */
    static PendingLeaves inDirectory(Path dir) {
        return new Directory(dir);
    }

    /** The files of {@link #inDirectory}: {@code GROUP.leave}. */
    final class Directory implements PendingLeaves {
        private static final Logger LOG = Logger.getLogger(PendingLeaves.class);
        private static final String SUFFIX = ".leave";
        private static final int MAX_FILE = 16 * 1024;
        private final Path dir;

        private Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        public synchronized List<PendingLeave> all() {
            List<PendingLeave> out = new ArrayList<>();
            if (!Files.isDirectory(dir)) {
                return out;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                for (Path f : files) {
                    if (out.size() >= MAX) {
                        break;
                    }
                    try {
                        if (Files.size(f) <= MAX_FILE) {
                            out.add(decode(Files.readAllBytes(f)));
                        }
                    } catch (IOException | RuntimeException e) {
                        LOG.warnf("ignoring the unreadable pending leave %s: %s", f, Failure.describe(e));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the pending leaves in " + dir, e);
            }
            return out;
        }

        @Override
        public synchronized void save(PendingLeave p) {
            try {
                Files.createDirectories(dir);
                Path tmp = dir.resolve(p.group() + SUFFIX + ".tmp");
                Files.write(tmp, encode(p));
                Files.move(tmp, dir.resolve(p.group() + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the leave of group " + p.group() + " in " + dir, e);
            }
        }

        @Override
        public synchronized void remove(GroupId group) {
            try {
                Files.deleteIfExists(dir.resolve(group + SUFFIX));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot forget the leave of group " + group + " in " + dir, e);
            }
        }

        static byte[] encode(PendingLeave p) {
            ByteWriter w = new ByteWriter().u16(p.leave().signedBytes().length).raw(p.leave().signedBytes())
                    .u16(p.leave().signature().length).raw(p.leave().signature()).raw(p.authority().bytes())
                    .u8(Math.min(p.addresses().size(), Protocol.MAX_ADDRESSES_PER_PEER));
            p.addresses().stream().limit(Protocol.MAX_ADDRESSES_PER_PEER).forEach(w::str8);
            return w.toByteArray();
        }

        static PendingLeave decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            byte[] signed = r.raw(r.u16("leave length"), "leave");
            byte[] sig = r.raw(r.u16("signature length"), "signature");
            NodeId authority = NodeId.of(r.raw(NodeId.LENGTH, "authority"));
            int n = r.u8("addresses");
            List<String> addrs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                addrs.add(r.str8("address"));
            }
            r.expectEnd("pending leave");
            SignedRecord leave = new SignedRecord(signed, sig);
            return new PendingLeave(Leave.verify(leave).group(), authority, addrs, leave);
        }
    }
}
