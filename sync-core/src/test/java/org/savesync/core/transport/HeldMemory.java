package org.savesync.core.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;

/**
 * What this JVM holds, for tests that bound what an attack can make us keep: heap in use after
 * a full collection plus the direct memory of Netty's default allocator, which every QUIC
 * channel takes its frame buffers from (a frame waiting to be sent is a direct buffer, not heap,
 * so the retained heap alone would not see it).
 */
public final class HeldMemory {
    private HeldMemory() {
    }

    /** Retained heap plus pooled direct memory, in bytes. */
    public static long bytes() {
        var mem = ManagementFactory.getMemoryMXBean();
        mem.gc();
        mem.gc();
        return pooledDirect() + mem.getHeapMemoryUsage().getUsed();
    }

    /**
     * Bytes in direct buffers of Netty's default allocator that are allocated and not yet
     * released (the arenas' active bytes; buffers kept in thread caches, at most 32 KiB each,
     * count too). Unlike the memory the pool has taken from the system, this does not depend on
     * what earlier tests in the same JVM left in the pool.
     */
    public static long pooledDirect() {
        if (!(ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator pool)) {
            throw new IllegalStateException("Netty's default allocator " + ByteBufAllocator.DEFAULT
                    + " is not the pooled one; the memory bounds of the tests cannot be checked");
        }
        long active = 0;
        for (PoolArenaMetric arena : pool.metric().directArenas()) {
            active += arena.numActiveBytes();
        }
        return active;
    }
}
