package org.savesync.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.transport.TransportStats;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.events.HubEvents;
import org.savesync.server.service.HubService;

/**
 * The hub's Prometheus metrics. Gauges: {@code savesync_entries} (entries held, counted at
 * most every {@link #ENTRIES_MAX_AGE}: a database count), {@code savesync_chunks},
 * {@code savesync_chunk_bytes_stored}, {@code savesync_peers_connected}, {@code savesync_groups}.
 * Counters read the engine's {@link EngineStats}: {@code savesync_transfer_bytes_total}
 * ({@code direction="in"}: chunk bytes fetched, {@code "out"}: served),
 * {@code savesync_entries_received_total} and {@code savesync_refusals_total} by
 * {@code reason} (one series per {@link EngineStats.Refusal}, lowercase). The transport's:
 * {@code savesync_bulk_bytes_total} by {@code path} ({@code tcp}: the bulk lane, {@code quic}) and
 * {@code direction}, {@code savesync_bulk_lanes_bound_total}, {@code savesync_bulk_lane_failures_total} by
 * {@code reason} ({@code dial_failed}, {@code refused}, {@code busy}). All read 0 while
 * the engine is not running. Events: {@code savesync_event_streams} (WatchEvents streams open)
 * and {@code savesync_events_dropped_total} (events a slow stream lost).
 */
@ApplicationScoped
public class HubMetrics {
    static final Duration ENTRIES_MAX_AGE = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final HubService hub;
    private final PgStores stores;
    private final CatalogedChunkStore chunks;
    private volatile long entries;
    private volatile long entriesCountedAtNanos;
    private volatile boolean entriesCounted;

    private final HubEvents events;

    HubMetrics(MeterRegistry registry, HubService hub, PgStores stores, CatalogedChunkStore chunks, HubEvents events) {
        this.registry = registry;
        this.events = events;
        this.hub = hub;
        this.stores = stores;
        this.chunks = chunks;
    }

    void onStart(@Observes StartupEvent ev) {
        Gauge.builder("savesync.entries", this, HubMetrics::entries).strongReference(true)
                .description("Entries the hub holds across all groups (newest per author and path)").register(registry);
        Gauge.builder("savesync.chunks", chunks, CatalogedChunkStore::count).strongReference(true)
                .description("Chunks in the chunk store").register(registry);
        Gauge.builder("savesync.chunk.bytes.stored", chunks, CatalogedChunkStore::bytes).strongReference(true)
                .description("Bytes of chunk data in the chunk store").register(registry);
        Gauge.builder("savesync.peers.connected", hub, h -> h.connectedNodes().size()).strongReference(true)
                .description("Peers connected to the hub now").register(registry);
        Gauge.builder("savesync.groups", hub, h -> {
                    SyncEngine e = h.engine();
                    return e == null ? 0 : e.groups().size();
                }).strongReference(true)
                .description("Groups the hub replicates").register(registry);
        counter("savesync.transfer.bytes", "Chunk bytes the hub fetched from peers", s -> s.chunkBytesFetched.sum())
                .tag("direction", "in").register(registry);
        counter("savesync.transfer.bytes", "Chunk bytes the hub served to peers", s -> s.chunkBytesServed.sum())
                .tag("direction", "out").register(registry);
        counter("savesync.entries.received", "Entries received from peers and stored", s -> s.entriesReceived.sum())
                .register(registry);
        Gauge.builder("savesync.event.streams", events, HubEvents::subscriptions).strongReference(true)
                .description("WatchEvents streams open now").register(registry);
        FunctionCounter.builder("savesync.events.dropped", events, HubEvents::droppedTotal)
                .description("Events dropped because a WatchEvents stream did not keep up").register(registry);
        bulk("tcp", "out", "Payload bytes of chunk frames sent over TLS-over-TCP bulk lanes", TransportStats::bulkBytesSentTcp);
        bulk("quic", "out", "Payload bytes of chunk frames sent over QUIC streams", TransportStats::bulkBytesSentQuic);
        bulk("tcp", "in", "Payload bytes of chunk frames received over bulk lanes", TransportStats::bulkBytesReceivedTcp);
        bulk("quic", "in", "Payload bytes of chunk frames received over QUIC streams", TransportStats::bulkBytesReceivedQuic);
        transportCounter("savesync.bulk.lanes.bound", "Bulk lanes bound to a member connection", TransportStats::lanesBound)
                .register(registry);
        transportCounter("savesync.bulk.lane.failures", "Bulk lanes this hub dialled that did not come up",
                TransportStats::laneDialsFailed).tag("reason", "dial_failed").register(registry);
        transportCounter("savesync.bulk.lane.failures", "Inbound bulk lanes refused before binding (TLS, hello, no connection)",
                TransportStats::lanesRefused).tag("reason", "refused").register(registry);
        transportCounter("savesync.bulk.lane.failures", "Inbound bulk lanes closed because too many handshakes were pending",
                TransportStats::laneHandshakesBusy).tag("reason", "busy").register(registry);
        for (EngineStats.Refusal r : EngineStats.Refusal.values()) {
            counter("savesync.refusals", "Entries, messages or peers the hub refused", s -> s.refusals(r))
                    .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }

    private FunctionCounter.Builder<HubService> counter(String name, String help, ToLongFunction<EngineStats> read) {
        return FunctionCounter.builder(name, hub, h -> {
            SyncEngine e = h.engine();
            return e == null ? 0 : read.applyAsLong(e.stats());
        }).description(help);
    }

    private void bulk(String path, String direction, String help, ToLongFunction<TransportStats> read) {
        transportCounter("savesync.bulk.bytes", help, read).tag("path", path).tag("direction", direction).register(registry);
    }

    private FunctionCounter.Builder<HubService> transportCounter(String name, String help, ToLongFunction<TransportStats> read) {
        return FunctionCounter.builder(name, hub, h -> {
            TransportStats t = h.transportStats();
            return t == null ? 0 : read.applyAsLong(t);
        }).description(help);
    }

    private double entries() {
        long now = System.nanoTime();
        if (!entriesCounted || now - entriesCountedAtNanos > ENTRIES_MAX_AGE.toNanos()) {
            entries = stores.totalEntries();
            entriesCountedAtNanos = now;
            entriesCounted = true;
        }
        return entries;
    }
}
