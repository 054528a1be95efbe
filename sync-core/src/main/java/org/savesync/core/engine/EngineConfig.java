package org.savesync.core.engine;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.savesync.core.protocol.Protocol;

/**
 * Engine settings.
 *
 * @param nodeName              shown to other members
 * @param antiEntropyInterval   how often every peer is sent our knowledge (heals lost messages)
 * @param requestTimeout        an unanswered chunk or chunk-list request is re-sent after this
 * @param chunkRequestsInFlight chunk requests outstanding per transfer
 * @param wallClock             milliseconds since the epoch (tests move it)
 * @param ioThreads             threads that hash, read and write file data
 */
public record EngineConfig(String nodeName, Duration antiEntropyInterval, Duration requestTimeout,
                           int chunkRequestsInFlight, LongSupplier wallClock, int ioThreads) {

    public static EngineConfig defaults(String nodeName) {
        return new EngineConfig(nodeName, Protocol.ANTI_ENTROPY_INTERVAL, Protocol.REQUEST_TIMEOUT,
                Protocol.MAX_CHUNK_REQUESTS_IN_FLIGHT, System::currentTimeMillis,
                Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public EngineConfig withTimings(Duration antiEntropy, Duration request) {
        return new EngineConfig(nodeName, antiEntropy, request, chunkRequestsInFlight, wallClock, ioThreads);
    }

    public EngineConfig withWallClock(LongSupplier clock) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, clock, ioThreads);
    }
}
