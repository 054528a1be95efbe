package org.savesync.agent.hub;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.savesync.core.engine.RegistrationException;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.HubAddress;

/**
 * Registers the groups this node is the authority of with the configured hub, so the hub becomes
 * their authority (it then admits joiners, signs member lists and keeps a full copy).
 *
 * <p>Flow, per group, all on the registrar's one thread (so attempts for a group never overlap):
 * <ol>
 *   <li>{@link #trigger()} (at start and after a group is created) looks at every group: one
 *       whose authority already is the hub needs nothing; one whose authority is another agent is
 *       skipped (that agent registers it; logged once); one whose authority is this node and that
 *       has no attempt under way or scheduled is registered now;</li>
 *   <li>success: {@link Registration.Phase#REGISTERED};</li>
 *   <li>refusal, a {@link RegistrationException} without a cause, whose message is the hub's
 *       reason (e.g. this node is not enrolled): {@link Registration.Phase#REFUSED}, one warning
 *       saying what to do, and no retry until the next trigger: asking again gets the same no;</li>
 *   <li>anything else (hub unreachable, no answer within {@link #ATTEMPT_TIMEOUT}, an engine
 *       error): still pending, retried after {@link #FIRST_RETRY}, doubling up to
 *       {@link #MAX_RETRY}, until it works or {@link #stop()}. Warned once per run of failures.</li>
 * </ol>
 * The enrollment token goes with every attempt (the hub ignores it once this node is enrolled)
 * and is never logged.
 */
public final class HubRegistrar implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HubRegistrar.class);
    /** Wait before the first retry after a failed attempt. */
    public static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    /** The longest wait between retries. */
    public static final Duration MAX_RETRY = Duration.ofSeconds(60);
    /** An attempt the engine has not settled by then counts as "hub unreachable". */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(60);
    static final String THREAD_NAME = "savesync-hub-registrar";

    private final RegistrationTarget target;
    private final HubAddress hub;
    private final String enrollToken;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Duration attemptTimeout;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    /** Read by the status from any thread; written on the registrar's thread. */
    private final Map<GroupId, Registration> states = new ConcurrentHashMap<>();
    // Registrar thread only:
    private final Set<GroupId> inFlight = new HashSet<>();
    private final Map<GroupId, ScheduledFuture<?>> retries = new HashMap<>();
    private final Set<GroupId> skipLogged = new HashSet<>();
    private volatile boolean stopped;

    /** A registrar with the standard delays ({@link #FIRST_RETRY}, {@link #MAX_RETRY}, {@link #ATTEMPT_TIMEOUT}). */
    public HubRegistrar(RegistrationTarget target, HubAddress hub, String enrollToken) {
        this(target, hub, enrollToken, FIRST_RETRY, MAX_RETRY, ATTEMPT_TIMEOUT, Clock.systemUTC());
    }

    HubRegistrar(RegistrationTarget target, HubAddress hub, String enrollToken, Duration firstRetry, Duration maxRetry,
                 Duration attemptTimeout, Clock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.enrollToken = enrollToken == null ? "" : enrollToken;
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("need 0 < first retry <= max retry; got " + firstRetry + ", " + maxRetry);
        }
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.attemptTimeout = attemptTimeout;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    public HubAddress hub() {
        return hub;
    }

    /** Registers every group that needs it; call once the engine runs. */
    public void start() {
        trigger();
    }

    /** Looks at the groups again (after a group was created) and registers those that need it. */
    public void trigger() {
        submit(this::registerAll);
    }

    /** Where a group's registration stands, if the registrar has tried it. */
    public Optional<Registration> registration(GroupId group) {
        return Optional.ofNullable(states.get(group));
    }

    /** The hub part of {@code GET /status}. */
    public HubStatus status(boolean connected) {
        NodeId self = target.self();
        List<HubStatus.GroupRegistration> groups = target.groups().stream()
                .map(g -> HubStatus.GroupRegistration.of(g, self, hub, states.get(g.id()), advice(),
                        clock.instant())).toList();
        return new HubStatus(hub.address(), hub.node().toString(), connected, groups);
    }

    /** Stops retrying and waits for the registrar's thread to end; attempts still under way are ignored. */
    public void stop() {
        stopped = true;
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warnf("the hub registrar did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** True once {@link #stop()} has returned and the registrar's thread has ended. */
    boolean terminated() {
        return thread.isTerminated();
    }

    /** The wait after {@code failures} failed attempts in a row (1, 2, ...): first, doubled each time, capped. */
    static Duration retryDelay(int failures, Duration first, Duration max) {
        Duration d = first;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    // ------------------------------------------------------------------ registrar thread

    private void submit(Runnable task) {
        if (stopped) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "registering groups with the hub %s failed", hub);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopped meanwhile: nothing more to do
        }
    }

    private void registerAll() {
        if (stopped) {
            return;
        }
        NodeId self = target.self();
        List<RegistrationTarget.Group> groups = target.groups();
        Set<GroupId> present = new HashSet<>();
        for (RegistrationTarget.Group g : groups) {
            present.add(g.id());
            if (g.authority().equals(hub.node())) {
                continue; // handed over already
            }
            if (!g.authority().equals(self)) {
                if (skipLogged.add(g.id())) {
                    LOG.infof("group %s (%s) is not registered with the hub by this node: its authority is another"
                            + " member (%s), which registers it", g.name(), g.id(), g.authority());
                }
                continue;
            }
            if (needsAttempt(g.id())) {
                attempt(g);
            }
        }
        // Groups left since: forget them (a late answer for one is ignored in finished()).
        states.keySet().retainAll(present);
        retries.entrySet().removeIf(e -> {
            if (!present.contains(e.getKey())) {
                e.getValue().cancel(false);
                return true;
            }
            return false;
        });
    }

    private boolean needsAttempt(GroupId id) {
        Registration r = states.get(id);
        return !inFlight.contains(id) && !retries.containsKey(id)
                && (r == null || r.phase() != Registration.Phase.REGISTERED);
    }

    private void retry(GroupId id) {
        retries.remove(id);
        if (stopped) {
            return;
        }
        target.groups().stream().filter(g -> g.id().equals(id)).findFirst().ifPresentOrElse(g -> {
            if (g.authority().equals(target.self())) {
                attempt(g);
            } else {
                states.remove(id); // handed over meanwhile (or the authority changed): nothing left to do
            }
        }, () -> states.remove(id));
    }

    private void attempt(RegistrationTarget.Group g) {
        inFlight.add(g.id());
        Registration before = states.get(g.id());
        if (before == null || before.phase() == Registration.Phase.REFUSED) {
            states.put(g.id(), Registration.firstAttempt());
        }
        CompletableFuture<Void> call;
        try {
            call = target.register(g.id(), hub, enrollToken).copy();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.orTimeout(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> submit(() -> finished(g, before, error)));
    }

    private void finished(RegistrationTarget.Group g, Registration before, Throwable error) {
        inFlight.remove(g.id());
        if (stopped || !states.containsKey(g.id())) {
            return;
        }
        if (error == null) {
            states.put(g.id(), Registration.registered());
            LOG.infof("group %s (%s) is registered with the hub %s, which is its authority from now on", g.name(), g.id(),
                    hub);
            return;
        }
        Throwable cause = unwrap(error);
        if (isRefusal(cause)) {
            String reason = Failure.describe(cause);
            states.put(g.id(), Registration.refused(reason));
            if (before == null || before.phase() != Registration.Phase.REFUSED || !reason.equals(before.reason())) {
                LOG.warnf("the hub %s refused to register group %s (%s): %s. %s", hub, g.name(), g.id(), reason,
                        advice());
            }
            return;
        }
        Registration now = states.get(g.id());
        int failures = now.failures() + 1;
        Duration delay = retryDelay(failures, firstRetry, maxRetry);
        String problem = describe(cause);
        states.put(g.id(), Registration.retrying(problem, failures, clock.instant().plus(delay)));
        if (failures == 1) {
            LOG.warnf("cannot register group %s (%s) with the hub %s yet: %s; retrying in %d s and then less often"
                    + " (up to every %d s) until it answers", g.name(), g.id(), hub, problem, delay.toSeconds(),
                    maxRetry.toSeconds());
        } else {
            LOG.debugf("registering group %s with the hub %s failed again (%d in a row): %s", g.id(), hub, failures,
                    problem);
        }
        retries.put(g.id(), thread.schedule(() -> retry(g.id()), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** What to do about a refusal, for the warning and the status. */
    String advice() {
        return enrollToken.isEmpty()
                ? "If this node is not enrolled with the hub yet, restart the agent with --enroll-token TOKEN"
                        + " (the token is in the hub's DATA_DIR/enrollment-token); the group keeps syncing between"
                        + " its members meanwhile"
                : "Check the token given with --enroll-token against the hub's DATA_DIR/enrollment-token, or ask"
                        + " the hub's operator; the group keeps syncing between its members meanwhile";
    }

    /**
     * The hub said no: the engine reports a refusal as a {@link RegistrationException} carrying the
     * hub's reason and no cause; one with a cause wraps a failure to reach the hub.
     */
    static boolean isRefusal(Throwable t) {
        return t instanceof RegistrationException && t.getCause() == null;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private String describe(Throwable t) {
        if (t instanceof TimeoutException) {
            return "no answer within " + attemptTimeout.toSeconds() + " s";
        }
        String m = Failure.describe(t);
        if (t instanceof ConnectException || t.getCause() instanceof ConnectException) {
            return "cannot connect to " + hub.address() + " (" + m + ")";
        }
        return m;
    }
}
