package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The service's side of the worker protocol: starts the supervisor, restarts it whenever it dies (requests in
 * flight then fail with {@link ProblemType#WORKER_UNAVAILABLE}), and matches replies to requests by id.
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

    private record Pending(UniEmitter<? super Frame> emitter, SupervisorProcess process) {}

    private enum Role {
        CURRENT,
        STANDBY
    }

    private final Launcher launcher;
    private final Consumer<Frame> events;
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
            Launcher launcher, Duration startTimeout, boolean useStandby, Consumer<Frame> events, Runnable onRestart) {
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
     * Sends {@code header} (which carries its {@code id}) once the worker is ready, and completes with the reply that
     * has the same id. Fails with WORKER_UNAVAILABLE when the supervisor dies first.
     */
    Uni<Frame> request(ObjectNode header) {
        long id = header.path("id").asLong();
        return whenReady()
                .chain(process -> Uni.createFrom().<Frame>emitter(emitter -> {
                    pending.put(id, new Pending(emitter, process));
                    emitter.onTermination(() -> pending.remove(id));
                    if (!process.alive()) {
                        pending.remove(id);
                        emitter.fail(unavailable("the analysis worker stopped; it is being restarted"));
                        return;
                    }
                    process.send(FrameCodec.encode(header));
                }));
    }

    /** Sends {@code header} to the serving supervisor, if any, without waiting for anything. */
    void send(ObjectNode header) {
        SupervisorProcess process = current;
        if (process != null && process.alive()) {
            process.send(FrameCodec.encode(header));
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
        if ("ready".equals(frame.type())) {
            Info started = new Info(
                    frame.header().path("pid").asLong(),
                    frame.header().path("python").asText(),
                    frame.header().path("pandas").asText(),
                    Confinement.of(frame.header().path("confinement")));
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
            return;
        }
        if (process != current) {
            return;
        }
        if ("evicted".equals(frame.type())) {
            events.accept(frame);
            return;
        }
        Pending waiting = pending.remove(frame.id());
        if (waiting != null) {
            waiting.emitter().complete(frame);
        } else if (!"stats".equals(frame.type())) {
            Log.debugf("worker reply to %d arrived after its caller left (%s)", frame.id(), frame.type());
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
            if (entry.getValue().process() == process && pending.remove(entry.getKey(), entry.getValue())) {
                entry.getValue()
                        .emitter()
                        .fail(unavailable("the analysis worker stopped while running this request (" + reason
                                + "); it is being restarted, please retry"));
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

    private void schedule(Runnable task, long delayMillis) {
        try {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            Log.debug("not starting an analysis worker: shutting down");
        }
    }

    private static long backoff(int failures) {
        return Math.min(30_000, 250L << Math.min(Math.max(failures, 0), 7));
    }

    static ProblemException unavailable(String detail) {
        return new ProblemException(ProblemType.WORKER_UNAVAILABLE, detail);
    }
}
