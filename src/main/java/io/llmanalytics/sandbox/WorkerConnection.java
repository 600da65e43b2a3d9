package io.llmanalytics.sandbox;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.WorkerReply.EndOfExecution;
import io.llmanalytics.sandbox.WorkerReply.Evicted;
import io.llmanalytics.sandbox.WorkerReply.Ready;
import io.llmanalytics.sandbox.WorkerReply.Result;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The service's side of the worker protocol ({@code worker/protocol.py}): starts the supervisor, restarts it whenever
 * it dies (requests in flight then fail with {@link ProblemType#WORKER_UNAVAILABLE}), and matches replies to requests
 * by id. An execution is answered when its {@link EndOfExecution} arrives, with the {@link Result} that came before it;
 * an end without a result, a second result, a result whose end does not come, or a reply that is none of the protocol's
 * fail the request with WORKER_UNAVAILABLE saying how the worker broke the protocol.
 *
 * <p>With a standby, a second supervisor is started once the first is ready and kept idle (libraries imported): when
 * the serving one dies, the standby takes over at once, and a new standby is started a little later. Importing the
 * libraries takes about a second, which would otherwise be added to the first request after a crash.
 */
final class WorkerConnection implements SupervisorProcess.Listener {

    /** Largest frame accepted from the worker; the worker itself caps a result at 16 MiB. */
    static final int MAX_FRAME = 24 * 1024 * 1024;

    private static final long HEALTHY_AFTER_MILLIS = 30_000;
    private static final long STANDBY_DELAY_MILLIS = 3_000;

    /** How to start a supervisor; tests start other programs to exercise the protocol's failure paths. */
    interface Launcher {
        SupervisorProcess launch(SupervisorProcess.Listener listener) throws IOException;
    }

    /** Facts about the running supervisor, from its {@code ready} message. */
    record Info(long pid, String python, String pandas, Confinement confinement) {}

    /** No reply came within the time a request allows (the caller decides what that means). */
    static final class NoReply extends RuntimeException {
        NoReply(String message) {
            super(message, null, false, false);
        }
    }

    /** A request waiting for its reply; an execution's result waits here for its end. */
    private static final class Pending {
        final UniEmitter<? super WorkerReply> emitter;
        final SupervisorProcess process;
        volatile Result result;
        volatile ScheduledFuture<?> timeout;

        Pending(UniEmitter<? super WorkerReply> emitter, SupervisorProcess process) {
            this.emitter = emitter;
            this.process = process;
        }
    }

    private enum Role {
        CURRENT,
        STANDBY
    }

    private final Launcher launcher;
    private final Consumer<Evicted> events;
    private final Runnable onRestart;
    private final Duration startTimeout;
    private final boolean useStandby;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("sandbox-supervisor").unstarted(r));
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicInteger failures = new AtomicInteger();
    private final Object lock = new Object();
    private volatile CompletableFuture<SupervisorProcess> ready = new CompletableFuture<>();
    private volatile SupervisorProcess current;
    private volatile SupervisorProcess standby;
    private volatile Info standbyInfo;
    private volatile Info info;
    private volatile boolean closed;
    private volatile long readySince;
    private volatile String lastProblem;
    private Role launching;

    WorkerConnection(
            Launcher launcher,
            Duration startTimeout,
            boolean useStandby,
            Consumer<Evicted> events,
            Runnable onRestart) {
        this.launcher = launcher;
        this.startTimeout = startTimeout;
        this.useStandby = useStandby;
        this.events = events;
        this.onRestart = onRestart;
    }

    /** Starts the first supervisor in the background. */
    void start() {
        scheduler.execute(this::launchCurrent);
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    boolean ready() {
        CompletableFuture<SupervisorProcess> r = ready;
        SupervisorProcess process = current;
        return r.isDone() && !r.isCompletedExceptionally() && process != null && process.alive();
    }

    Info info() {
        return ready() ? info : null;
    }

    boolean standbyReady() {
        SupervisorProcess process = standby;
        return process != null && process.alive() && standbyInfo != null;
    }

    long restarts() {
        return restarts.get();
    }

    String lastProblem() {
        return lastProblem;
    }

    /** Completes once a supervisor is ready (at most the start timeout). */
    Uni<SupervisorProcess> whenReady() {
        if (closed) {
            return Uni.createFrom().failure(unavailable("the analysis worker is shut down"));
        }
        return Uni.createFrom()
                .completionStage(() -> ready)
                .ifNoItem()
                .after(startTimeout)
                .failWith(() -> unavailable("the analysis worker did not become ready within "
                        + startTimeout.toSeconds() + " s" + (lastProblem == null ? "" : " (" + lastProblem + ")")));
    }

    /**
     * Sends {@code request} (whose replies carry {@code id}) once the worker is ready, and completes with its reply: for
     * an execution, the {@link Result} once its {@link EndOfExecution} came (or {@code not_loaded}). Fails with
     * WORKER_UNAVAILABLE when the supervisor dies first or breaks the protocol, and with {@link NoReply} when nothing
     * answers within {@code wait} of sending.
     */
    Uni<WorkerReply> request(WorkerRequest request, long id, Duration wait) {
        return whenReady()
                .chain(process -> Uni.createFrom().<WorkerReply>emitter(emitter -> {
                    Pending waiting = new Pending(emitter, process);
                    pending.put(id, waiting);
                    emitter.onTermination(() -> {
                        pending.remove(id, waiting);
                        ScheduledFuture<?> timeout = waiting.timeout;
                        if (timeout != null) {
                            timeout.cancel(false);
                        }
                    });
                    if (!process.alive()) {
                        pending.remove(id, waiting);
                        emitter.fail(unavailable("the analysis worker stopped; it is being restarted"));
                        return;
                    }
                    waiting.timeout = schedule(() -> timedOut(id, waiting, wait), wait.toMillis());
                    process.send(WorkerProtocol.encode(request));
                }));
    }

    private void timedOut(long id, Pending waiting, Duration wait) {
        if (!pending.remove(id, waiting)) {
            return;
        }
        if (waiting.result != null) {
            waiting.emitter.fail(violation("it sent the result of execution " + id
                    + " but not its end-of-execution within " + wait.toMillis() + " ms"));
        } else {
            waiting.emitter.fail(new NoReply("no reply to request " + id + " within " + wait.toMillis() + " ms"));
        }
    }

    /** Sends {@code request} to the serving supervisor, if any, without waiting for anything. */
    void send(WorkerRequest request) {
        SupervisorProcess process = current;
        if (process != null && process.alive()) {
            process.send(WorkerProtocol.encode(request));
        }
    }

    /** Kills the serving supervisor (it is then replaced); for a worker that stopped answering. */
    void restart(String reason) {
        SupervisorProcess process = current;
        if (process != null) {
            Log.warnf("restarting the analysis worker: %s", reason);
            process.kill(reason);
        }
    }

    void close() {
        closed = true;
        for (SupervisorProcess process : new SupervisorProcess[] {current, standby}) {
            if (process != null) {
                process.stop(2000);
            }
        }
        scheduler.shutdownNow();
        ready.completeExceptionally(unavailable("the analysis worker is shut down"));
    }

    /** A process being launched speaks before {@code launch} returns; it takes its role at its first word. */
    private void adopt(SupervisorProcess process) {
        synchronized (lock) {
            if (process != current && process != standby && launching != null) {
                if (launching == Role.CURRENT) {
                    current = process;
                } else {
                    standby = process;
                }
                launching = null;
            }
        }
    }

    @Override
    public void onFrame(SupervisorProcess process, Frame frame) {
        adopt(process);
        WorkerReply reply;
        try {
            reply = WorkerProtocol.decode(frame);
        } catch (ProtocolException e) {
            Log.warnf("worker %d broke the protocol: %s", process.pid(), e.getMessage());
            Pending waiting = process == current ? pending.remove(frame.id()) : null;
            if (waiting != null) {
                waiting.emitter.fail(violation(e.getMessage()));
            }
            return;
        }
        if (process != current && !(reply instanceof Ready)) {
            return;
        }
        switch (reply) {
            case Ready ready -> onReady(process, ready);
            case Evicted evicted -> events.accept(evicted);
            case Result result -> {
                Pending waiting = pending.get(result.id());
                if (waiting == null) {
                    Log.debugf("worker result of %d arrived after its caller left", result.id());
                } else if (waiting.result != null) {
                    fail(result.id(), waiting, "it sent a second result for execution " + result.id());
                } else {
                    waiting.result = result;
                }
            }
            case EndOfExecution end -> {
                Pending waiting = pending.remove(end.id());
                if (waiting == null) {
                    Log.debugf("worker end of %d arrived after its caller left", end.id());
                } else if (waiting.result == null) {
                    waiting.emitter.fail(violation("it ended execution " + end.id() + " without a result"));
                } else {
                    waiting.emitter.complete(waiting.result);
                }
            }
            case WorkerReply.Loaded loaded -> answered(loaded);
            case WorkerReply.LoadFailed failed -> answered(failed);
            case WorkerReply.NotLoaded notLoaded -> answered(notLoaded);
            case WorkerReply.Stats stats -> answered(stats);
        }
    }

    /** A reply that answers its request by itself. */
    private void answered(WorkerReply reply) {
        Pending waiting = pending.remove(reply.id());
        if (waiting == null) {
            if (!(reply instanceof WorkerReply.Stats)) {
                Log.debugf("worker reply to %d arrived after its caller left (%s)", reply.id(), reply);
            }
        } else if (waiting.result != null) {
            waiting.emitter.fail(violation("it answered execution " + reply.id() + " with "
                    + reply.getClass().getSimpleName() + " after its result"));
        } else {
            waiting.emitter.complete(reply);
        }
    }

    private void fail(long id, Pending waiting, String problem) {
        if (pending.remove(id, waiting)) {
            waiting.emitter.fail(violation(problem));
        }
    }

    private void onReady(SupervisorProcess process, Ready ready) {
        Info started = new Info(ready.pid(), ready.python(), ready.pandas(), ready.confinement());
        synchronized (lock) {
            if (process == standby) {
                standbyInfo = started;
                Log.debugf("standby analysis worker ready: pid %d", started.pid());
                return;
            }
            if (process != current) {
                return;
            }
            becameReady(process, started);
        }
        if (useStandby && standby == null) {
            schedule(this::launchStandby, 0);
        }
    }

    private void becameReady(SupervisorProcess process, Info started) {
        info = started;
        readySince = System.currentTimeMillis();
        lastProblem = null;
        Log.infof(
                "analysis worker ready: pid %d, Python %s, pandas %s; %s",
                started.pid(),
                started.python(),
                started.pandas(),
                started.confinement().describe());
        if (!started.confinement().confined()) {
            Log.errorf(
                    "ANALYSIS CODE CANNOT BE CONFINED ON THIS HOST: %s. %s",
                    started.confinement().problem(),
                    started.confinement().allowUnconfined()
                            ? "It runs UNCONFINED because sandbox.allow-unconfined is on (development only)."
                            : "Analyses are refused (503) until the service runs on a kernel with Landlock.");
        }
        ready.complete(process);
    }

    @Override
    public void onExit(SupervisorProcess process, String reason) {
        adopt(process);
        if (process == standby) {
            synchronized (lock) {
                standby = null;
                standbyInfo = null;
            }
            if (!closed && !"stopped".equals(reason)) {
                Log.warnf("standby analysis worker %d ended (%s)", process.pid(), reason);
                schedule(this::launchStandby, backoff(failures.incrementAndGet()));
            }
            return;
        }
        if (process != current) {
            return;
        }
        boolean wasReady;
        SupervisorProcess promoted;
        synchronized (lock) {
            wasReady = ready.isDone() && !ready.isCompletedExceptionally();
            if (wasReady) {
                ready = new CompletableFuture<>();
            }
            lastProblem = "the worker process ended: " + reason;
            promoted = closed || standby == null || !standby.alive() ? null : standby;
            if (promoted != null) {
                current = promoted;
                standby = null;
                if (standbyInfo != null) {
                    becameReady(promoted, standbyInfo);
                }
                standbyInfo = null;
            }
        }
        for (Map.Entry<Long, Pending> entry : List.copyOf(pending.entrySet())) {
            Pending waiting = entry.getValue();
            if (waiting.process == process && pending.remove(entry.getKey(), waiting)) {
                waiting.emitter.fail(unavailable("the analysis worker stopped "
                        + (waiting.result == null
                                ? "while running this request"
                                : "after the result of this execution but before its end-of-execution")
                        + " (" + reason + "); it is being restarted, please retry"));
            }
        }
        if (closed || "stopped".equals(reason)) {
            return;
        }
        onRestart.run();
        restarts.incrementAndGet();
        boolean healthy = wasReady && System.currentTimeMillis() - readySince > HEALTHY_AFTER_MILLIS;
        int failed = healthy ? 0 : failures.incrementAndGet();
        if (healthy) {
            failures.set(0);
        }
        if (promoted != null) {
            Log.warnf("analysis worker %d ended (%s); standby %d took over", process.pid(), reason, promoted.pid());
            schedule(this::launchStandby, Math.max(STANDBY_DELAY_MILLIS, backoff(failed)));
        } else {
            long delay = failed <= 1 ? 0 : backoff(failed - 1);
            Log.warnf("analysis worker %d ended (%s); restarting in %d ms", process.pid(), reason, delay);
            schedule(this::launchCurrent, delay);
        }
    }

    private void launchCurrent() {
        if (closed) {
            return;
        }
        synchronized (lock) {
            launching = Role.CURRENT;
        }
        try {
            adopt(launcher.launch(this));
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                launching = null;
            }
            lastProblem = "the worker could not be started: " + e.getMessage();
            Log.errorf("cannot start the analysis worker: %s", e.getMessage());
            schedule(this::launchCurrent, backoff(failures.incrementAndGet()));
        }
    }

    private void launchStandby() {
        if (closed || !useStandby || standby != null) {
            return;
        }
        synchronized (lock) {
            launching = Role.STANDBY;
        }
        try {
            adopt(launcher.launch(this));
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                launching = null;
            }
            Log.errorf("cannot start the standby analysis worker: %s", e.getMessage());
            schedule(this::launchStandby, backoff(failures.incrementAndGet()));
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            Log.debug("not scheduling worker work: shutting down");
            return null;
        }
    }

    private static long backoff(int failures) {
        return Math.min(30_000, 250L << Math.min(Math.max(failures, 0), 7));
    }

    /** The worker broke its protocol: the request fails, saying how. */
    static ProblemException violation(String problem) {
        return unavailable("the analysis worker broke its protocol (" + problem + "); please retry");
    }

    static ProblemException unavailable(String detail) {
        return new ProblemException(ProblemType.WORKER_UNAVAILABLE, detail);
    }
}
