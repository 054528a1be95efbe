package org.savesync.server.backup;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.server.admin.AuditLog;
import org.savesync.server.admin.RetentionPolicies;
import org.savesync.server.admin.RetentionPolicy;
import org.savesync.server.config.HubConfig;
import org.savesync.server.persistence.PgIndexStore;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.persistence.StoredVersion;

/**
 * Applies every group's retention policy ({@link RetentionPlan}) to the versions the hub holds:
 * on a schedule ({@code savesync.retention.interval}), or when an admin asks ({@link #runNow}).
 * One run at a time. Per group: read the policy and the ranked versions, plan, then remove the
 * planned versions and the chunk lists no remaining version names ({@link PgIndexStore#prune},
 * serialised with the engine's writes to that group). A group that fails is logged and left for
 * the next run; the others go on. What a run removed is in the audit log ({@value #AUDIT_ACTION},
 * per group; actor {@value #ACTOR} for a scheduled run, the admin for a requested one) and in the metrics: {@code savesync_retention_runs_total},
 * {@code savesync_retention_versions_pruned_total}, {@code savesync_retention_bytes_released_total},
 * {@code savesync_retention_group_failures_total}.
 *
 * <p>After the groups, the run collects garbage ({@link ChunkCollector}): chunks that no chunk
 * list of any group names any more are deleted (audit {@value #COLLECT_ACTION}; metrics {@code
 * savesync_gc_chunks_deleted_total}, {@code savesync_gc_bytes_freed_total}, {@code
 * savesync_gc_failures_total}, and {@code savesync_gc_candidates} while one runs).
 */
@ApplicationScoped
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    /** Audit action of a run that removed versions of a group. */
    public static final String AUDIT_ACTION = "retention.prune";
    /** Audit action of a garbage collection that deleted chunks (hub-wide: no group). */
    public static final String COLLECT_ACTION = "chunks.collect";
    /** The audit actor of a scheduled run. */
    public static final String ACTOR = "hub";

    private final PgStores stores;
    private final RetentionPolicies policies;
    private final AuditLog audit;
    private final Duration interval;
    private final MeterRegistry registry;
    private final ChunkCollector collector;
    private final Duration chunkGrace;
    private final AtomicLong collectFailures = new AtomicLong();
    private ScheduledExecutorService timer;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong versionsPruned = new AtomicLong();
    private final AtomicLong bytesReleased = new AtomicLong();
    private final AtomicLong groupFailures = new AtomicLong();

    RetentionJob(PgStores stores, RetentionPolicies policies, AuditLog audit, ChunkCollector collector, HubConfig config,
                 MeterRegistry registry) {
        this.registry = registry;
        this.collector = collector;
        this.chunkGrace = config.retention().chunkGrace();
        this.stores = stores;
        this.policies = policies;
        this.audit = audit;
        this.interval = config.retention().interval();
    }

    void onStart(@Observes StartupEvent ev) {
        FunctionCounter.builder("savesync.retention.runs", runs, AtomicLong::get)
                .description("Retention runs completed over every group").register(registry);
        FunctionCounter.builder("savesync.retention.versions.pruned", versionsPruned, AtomicLong::get)
                .description("Replaced and deleted versions retention removed").register(registry);
        FunctionCounter.builder("savesync.retention.bytes.released", bytesReleased, AtomicLong::get)
                .description("Bytes of removed versions that no remaining version of their group needs").register(registry);
        FunctionCounter.builder("savesync.retention.group.failures", groupFailures, AtomicLong::get)
                .description("Groups whose retention failed (tried again at the next run)").register(registry);
        FunctionCounter.builder("savesync.gc.chunks.deleted", collector, ChunkCollector::deletedTotal)
                .description("Chunks the garbage collector deleted (no chunk list named them), batch by batch")
                .register(registry);
        FunctionCounter.builder("savesync.gc.bytes.freed", collector, ChunkCollector::bytesFreedTotal)
                .description("Chunk bytes the garbage collector deleted").register(registry);
        Gauge.builder("savesync.gc.candidates", collector, ChunkCollector::candidatesNow).strongReference(true)
                .description("Chunks the running garbage collection found unreferenced (0 when none runs)")
                .register(registry);
        FunctionCounter.builder("savesync.gc.failures", collectFailures, AtomicLong::get)
                .description("Garbage collections that stopped with an error (the next run starts over)").register(registry);
        if (interval.isZero() || interval.isNegative()) {
            LOG.info("retention runs only when an admin asks (savesync.retention.interval=0)");
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("savesync-retention")
                .daemon().unstarted(r));
        timer.scheduleWithFixedDelay(this::scheduled, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void scheduled() {
        try {
            runAt(Instant.now(), ACTOR);
        } catch (RuntimeException e) {
            LOG.errorf("retention did not run: %s", Failure.describe(e));
        }
    }

    /** What one run did to one group. */
    public record GroupReport(GroupId group, RetentionPolicy policy, int versionsBefore, int versionsPruned,
                              Map<RetentionPlan.Reason, Integer> why, long bytesBefore, long bytesAfter,
                              int blobsDropped, String error) {
        public long bytesReleased() {
            return bytesBefore - bytesAfter;
        }
    }

    /**
     * What one run did, group by group, and what the garbage collection after it deleted (null
     * when it failed: {@code collectError} says why).
     */
    public record Report(Instant at, List<GroupReport> groups, ChunkCollector.Collection collected,
                         String collectError) {
        public int versionsPruned() {
            return groups.stream().mapToInt(GroupReport::versionsPruned).sum();
        }

        public long bytesReleased() {
            return groups.stream().mapToLong(GroupReport::bytesReleased).sum();
        }
    }

    /** Runs retention over every group now, for {@code who} (an admin's request; in the audit log). */
    public Report runNow(String who) {
        return runAt(Instant.now(), who);
    }

    /** Runs retention over every group as if it were {@code now} (tests move the clock; nothing here waits). */
    public Report runAt(Instant now) {
        return runAt(now, ACTOR);
    }

    private synchronized Report runAt(Instant now, String who) {
        List<GroupReport> out = new ArrayList<>();
        for (GroupId g : stores.groups()) {
            out.add(runGroup(g, now, who));
        }
        ChunkCollector.Collection collected = null;
        String collectError = null;
        try {
            collected = collector.collect(now, chunkGrace);
            if (collected.deleted() > 0) {
                ChunkCollector.Collection c = collected;
                QuarkusTransaction.requiringNew().run(() -> audit.recordAs(who, COLLECT_ACTION, null, null, null,
                        collectView(c)));
                LOG.infof("garbage collection: %d chunks (%d bytes) deleted, %d named by chunk lists, took %d ms",
                        c.deleted(), c.bytesFreed(), c.named(), c.took().toMillis());
            }
        } catch (RuntimeException e) {
            collectFailures.incrementAndGet();
            collectError = Failure.describe(e);
            LOG.warnf("garbage collection failed, it starts over at the next run: %s", collectError);
        }
        runs.incrementAndGet();
        return new Report(now, List.copyOf(out), collected, collectError);
    }

    private GroupReport runGroup(GroupId group, Instant now, String who) {
        RetentionPolicy policy = null;
        try {
            policy = policies.get(group);
            PgIndexStore store = stores.open(group);
            List<StoredVersion> versions = store.versions();
            RetentionPlan plan = RetentionPlan.of(policy, versions, b -> store.chunkList(b).orElse(List.of()), now);
            RetentionPolicy applied = policy;
            PgIndexStore.Pruned pruned = store.prune(bySeq(plan.prune()), p -> {
                if (p.versions() > 0 || !p.blobsDropped().isEmpty()) { // recorded in the same transaction
                    audit.recordAs(who, AUDIT_ACTION, group, null, auditView(versions.size(), plan.bytesBefore()),
                            auditAfter(report(group, applied, versions.size(), p, plan)));
                }
            });
            GroupReport r = report(group, policy, versions.size(), pruned, plan);
            if (r.versionsPruned() > 0 || r.blobsDropped() > 0) {
                versionsPruned.addAndGet(r.versionsPruned());
                bytesReleased.addAndGet(r.bytesReleased());
                LOG.infof("retention of group %s: %d of %d versions removed (%s), %d bytes no longer needed",
                        group, r.versionsPruned(), r.versionsBefore(), r.why(), r.bytesReleased());
            }
            return r;
        } catch (RuntimeException e) {
            groupFailures.incrementAndGet();
            LOG.warnf("retention of group %s failed, tried again at the next run: %s", group, Failure.describe(e));
            return new GroupReport(group, policy, 0, 0, Map.of(), 0, 0, 0, Failure.describe(e));
        }
    }

    private static GroupReport report(GroupId group, RetentionPolicy policy, int before, PgIndexStore.Pruned pruned,
                                      RetentionPlan plan) {
        return new GroupReport(group, policy, before, pruned.versions(), plan.why(), plan.bytesBefore(),
                plan.bytesAfter(), pruned.blobsDropped().size(), null);
    }

    private static Map<NodeId, List<Long>> bySeq(List<StoredVersion> versions) {
        Map<NodeId, List<Long>> out = new HashMap<>();
        for (StoredVersion v : versions) {
            out.computeIfAbsent(v.author(), a -> new ArrayList<>()).add(v.seq());
        }
        return out;
    }

    private static Map<String, Object> collectView(ChunkCollector.Collection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deleted", c.deleted());
        m.put("bytesFreed", c.bytesFreed());
        m.put("named", c.named());
        m.put("protectedMeanwhile", c.protectedMeanwhile());
        m.put("millis", c.took().toMillis());
        return m;
    }

    private static Map<String, Object> auditView(int versions, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("versions", versions);
        m.put("bytes", bytes);
        return m;
    }

    private static Map<String, Object> auditAfter(GroupReport r) {
        Map<String, Object> m = auditView(r.versionsBefore() - r.versionsPruned(), r.bytesAfter());
        m.put("pruned", r.versionsPruned());
        Map<String, Object> why = new LinkedHashMap<>();
        for (RetentionPlan.Reason reason : RetentionPlan.Reason.values()) {
            why.put(reason.name().toLowerCase(java.util.Locale.ROOT), r.why().getOrDefault(reason, 0));
        }
        m.put("why", why);
        m.put("bytesReleased", r.bytesReleased());
        m.put("policy", Map.of("keepVersions", r.policy().keepVersions(), "keepDays", r.policy().keepDays(),
                "quotaBytes", r.policy().quotaBytes()));
        return m;
    }

    /** Runs completed since start. */
    public long runs() {
        return runs.get();
    }

    /** Versions removed since start. */
    public long versionsPruned() {
        return versionsPruned.get();
    }

    /** Bytes of removed versions that no remaining version of their group needs, since start. */
    public long bytesReleased() {
        return bytesReleased.get();
    }

    /** Groups whose retention failed, summed over runs since start. */
    public long groupFailures() {
        return groupFailures.get();
    }
}
