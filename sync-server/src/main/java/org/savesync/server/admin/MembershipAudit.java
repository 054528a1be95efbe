package org.savesync.server.admin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.savesync.core.engine.MembershipObserver;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Member;
import org.savesync.server.events.HubEvents;

/**
 * What the hub's engine, as the groups' authority, tells of membership: every join and leave is
 * written to the audit log ({@value #JOIN}, {@value #LEAVE}; the actor is the node itself, {@code
 * node NODE_ID}) and every join, leave and removal goes to the event stream. A removal is audited
 * by {@link Members}, which knows the administrator who asked for it.
 *
 * <p>The engine calls this on its own thread, which must not wait for the database: events are
 * handed to one writer thread through a queue of {@value #QUEUE} events. When it is full (the
 * database stalled under a storm of joins), an event is logged as an error instead of written.
 */
@ApplicationScoped
public class MembershipAudit implements MembershipObserver {
    /** Audit action of a node joining a group with an invite. */
    public static final String JOIN = "member.join";
    /** Audit action of a node leaving a group by itself. */
    public static final String LEAVE = "member.leave";
    static final int QUEUE = 10_000;
    private static final Logger LOG = Logger.getLogger(MembershipAudit.class);

    private final AuditLog audit;
    private final HubEvents events;
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "savesync-hub-membership-audit");
                t.setDaemon(true);
                return t;
            });

    MembershipAudit(AuditLog audit, HubEvents events) {
        this.audit = audit;
        this.events = events;
    }

    @Override
    public void joined(GroupId group, Member member) {
        events.memberJoined(group, member.id(), member.name());
        write(JOIN, group, member, null, view(member));
    }

    @Override
    public void left(GroupId group, Member member) {
        events.memberLeft(group, member.id(), member.name());
        write(LEAVE, group, member, view(member), null);
    }

    @Override
    public void removed(GroupId group, Member member) {
        events.memberRemoved(group, member.id(), member.name());
    }

    private void write(String action, GroupId group, Member member, Object before, Object after) {
        try {
            writer.execute(() -> {
                try {
                    QuarkusTransaction.requiringNew().run(() -> audit.recordAs("node " + member.id(), action, group,
                            member.id(), before, after));
                } catch (RuntimeException e) {
                    LOG.errorf(e, "group %s: could not write the audit event %s of %s (%s)", group, action,
                            member.id(), member.name());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.errorf("group %s: audit event %s of %s (%s) not written: %d events wait for the database", group,
                    action, member.id(), member.name(), QUEUE);
        }
    }

    private static Map<String, Object> view(Member m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", m.name());
        v.put("role", m.role().name());
        v.put("addedAt", Instant.ofEpochMilli(m.addedAtMillis()).toString());
        v.put("addedBy", m.addedBy().toString());
        return v;
    }

    /** Writes what is queued (for at most 10 s), then stops the writer. */
    @PreDestroy
    void stop() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warnf("%d membership audit events were not written before the hub stopped", writer.getQueue().size());
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
    }
}
