package org.savesync.core.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;

/**
 * What this JVM holds, for tests that bound what an attack can make us keep: heap in use after
 * a full collection plus the direct memory of Netty's default allocator, which every QUIC
 * channel takes its frame buffers from (a frame waiting to be sent is a direct buffer, not heap,
 * so the retained heap alone would not see it). The pool hands out memory in chunks of a few
 * MiB, so a bound needs that much slack.
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

    /** Direct memory Netty's default allocator has taken from the system. */
    public static long pooledDirect() {
        if (!(ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider pool)) {
            throw new IllegalStateException("Netty's default allocator " + ByteBufAllocator.DEFAULT
                    + " reports no memory; the memory bounds of the tests cannot be checked");
        }
        return pool.metric().usedDirectMemory();
    }
}
