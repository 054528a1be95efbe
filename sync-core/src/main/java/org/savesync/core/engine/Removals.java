package org.savesync.core.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.savesync.core.encoding.ByteReader;
import org.savesync.core.encoding.ByteWriter;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/**
 * The groups this node was removed from by their authority, kept across restarts: such a group
 * is not started again, but its index and info stay so it can be shown ("removed from group
 * NAME by its authority at T; its files stay in FOLDER"). At most one record per group.
 */
public interface Removals {
    /**
     * This node was taken off {@code group}'s member list by {@code by} (the authority that signed
     * the list), seen at {@code atMillis}, ms since the Unix epoch.
     */
    record Removed(GroupId group, NodeId by, long atMillis) {
    }

    Optional<Removed> get(GroupId group);

    void save(Removed r);

    /** Forgets the record (the group was joined again or deleted). */
    void remove(GroupId group);

    /** Kept in memory only (tests, and nodes without a data dir). */
    static Removals inMemory() {
        Map<GroupId, Removed> m = new ConcurrentHashMap<>();
        return new Removals() {
            @Override
            public Optional<Removed> get(GroupId group) {
                return Optional.ofNullable(m.get(group));
            }

            @Override
            public void save(Removed r) {
                m.put(r.group(), r);
            }

            @Override
            public void remove(GroupId group) {
                m.remove(group);
            }
        };
    }

    /** One small file per group in {@code dir} ({@code GROUP.removed}, created when needed), written atomically. */
    static Removals inDirectory(Path dir) {
        return new Directory(dir);
    }

    /** The files of {@link #inDirectory}: group id (16), remover node id (32), u64 time. */
    final class Directory implements Removals {
        private static final Logger LOG = Logger.getLogger(Removals.class);
        private static final String SUFFIX = ".removed";
        private final Path dir;

        private Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        public synchronized Optional<Removed> get(GroupId group) {
            Path f = dir.resolve(group + SUFFIX);
            if (!Files.isRegularFile(f)) {
                return Optional.empty();
            }
            try {
                if (Files.size(f) > 1024) {
                    throw new IOException("too large for a removal record");
                }
                Removed r = decode(Files.readAllBytes(f));
                return r.group().equals(group) ? Optional.of(r) : Optional.empty();
            } catch (IOException | RuntimeException e) {
                // Unreadable: the group is treated as removed anyway (never restarted by a damaged file).
                LOG.warnf("the removal record %s is unreadable (%s); the group stays stopped", f, Failure.describe(e));
                return Optional.of(new Removed(group, NodeId.of(new byte[NodeId.LENGTH]), 0));
            }
        }

        @Override
        public synchronized void save(Removed r) {
            try {
                Files.createDirectories(dir);
                Path tmp = dir.resolve(r.group() + SUFFIX + ".tmp");
                Files.write(tmp, new ByteWriter().raw(r.group().bytes()).raw(r.by().bytes()).u64(r.atMillis())
                        .toByteArray());
                Files.move(tmp, dir.resolve(r.group() + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record the removal from group " + r.group() + " in " + dir, e);
            }
        }

        @Override
        public synchronized void remove(GroupId group) {
            try {
                Files.deleteIfExists(dir.resolve(group + SUFFIX));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot forget the removal from group " + group + " in " + dir, e);
            }
        }

        static Removed decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            GroupId g = GroupId.of(r.raw(GroupId.LENGTH, "group"));
            NodeId by = NodeId.of(r.raw(NodeId.LENGTH, "remover"));
            long at = r.u64("at");
            r.expectEnd("removal record");
            return new Removed(g, by, at);
        }
    }
}
