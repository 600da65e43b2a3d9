package io.llmanalytics.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * The service's side of the worker protocol: starts the supervisor, restarts it whenever it dies (requests in
 * flight then fail with {@link ProblemType#WORKER_UNAVAILABLE}), and matches replies to requests by id.
 */
final class WorkerConnection implements SupervisorProcess.Listener {

    /** Largest frame accepted from the worker; the worker itself caps a result at 16 MiB. */
    static final int MAX_FRAME = 24 * 1024 * 1024;
    private static final long HEALTHY_AFTER_MILLIS = 30_000;

    /** How to start a supervisor; tests start other programs to exercise the protocol's failure paths. */
    interface Launcher {
        SupervisorProcess launch(SupervisorProcess.Listener listener) throws IOException;
    }

    /** Facts about the running supervisor, from its {@code ready} message. */
    record Info(long pid, String python, String pandas) {
    }

    private final Launcher launcher;
    private final Consumer<Frame> events;
    private final Runnable onRestart;
    private final Duration startTimeout;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("sandbox-supervisor").unstarted(r));
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile CompletableFuture<SupervisorProcess> ready = new CompletableFuture<>();
    private volatile SupervisorProcess current;
    private volatile Info info;
    private volatile boolean closed;
    private volatile long readySince;
    private volatile String lastProblem;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong restarts = new AtomicLong();

    private record Pending(UniEmitter<? super Frame> emitter, SupervisorProcess process) {
    }

    WorkerConnection(Launcher launcher, Duration startTimeout, Consumer<Frame> events, Runnable onRestart) {
        this.launcher = launcher;
        this.startTimeout = startTimeout;
        this.events = events;
        this.onRestart = onRestart;
    }

    /** Starts the first supervisor in the background. */
    void start() {
        scheduler.execute(this::launch);
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    boolean ready() {
        CompletableFuture<SupervisorProcess> r = ready;
        return r.isDone() && !r.isCompletedExceptionally() && current != null && current.alive();
    }

    Info info() {
        return ready() ? info : null;
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
        return Uni.createFrom().completionStage(() -> ready)
                .ifNoItem().after(startTimeout)
                .failWith(() -> unavailable("the analysis worker did not become ready within "
                        + startTimeout.toSeconds() + " s" + (lastProblem == null ? "" : " (" + lastProblem + ")")));
    }

    /**
     * Sends {@code header} (which carries its {@code id}) once the worker is ready, and completes with the reply that
     * has the same id. Fails with WORKER_UNAVAILABLE when the supervisor dies first.
     */
    Uni<Frame> request(ObjectNode header) {
        long id = header.path("id").asLong();
        return whenReady().chain(process -> Uni.createFrom().<Frame> emitter(emitter -> {
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

    /** Sends {@code header} to the running supervisor, if any, without waiting for anything. */
    void send(ObjectNode header) {
        SupervisorProcess process = current;
        if (process != null && process.alive()) {
            process.send(FrameCodec.encode(header));
        }
    }

    /** Kills the running supervisor (it is then restarted); for a worker that stopped answering. */
    void restart(String reason) {
        SupervisorProcess process = current;
        if (process != null) {
            Log.warnf("restarting the analysis worker: %s", reason);
            process.kill(reason);
        }
    }

    void close() {
        closed = true;
        SupervisorProcess process = current;
        if (process != null) {
            process.stop(2000);
        }
        scheduler.shutdownNow();
        ready.completeExceptionally(unavailable("the analysis worker is shut down"));
    }

    @Override
    public void onFrame(SupervisorProcess process, Frame frame) {
        if ("ready".equals(frame.type())) {
            info = new Info(frame.header().path("pid").asLong(), frame.header().path("python").asText(),
                    frame.header().path("pandas").asText());
            readySince = System.currentTimeMillis();
            lastProblem = null;
            Log.infof("analysis worker ready: pid %d, Python %s, pandas %s", info.pid(), info.python(),
                    info.pandas());
            ready.complete(process);
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

    @Override
    public void onExit(SupervisorProcess process, String reason) {
        boolean wasReady = ready.isDone() && !ready.isCompletedExceptionally();
        if (wasReady) {
            ready = new CompletableFuture<>();
        }
        lastProblem = "the worker process ended: " + reason;
        for (Map.Entry<Long, Pending> entry : List.copyOf(pending.entrySet())) {
            if (entry.getValue().process() == process && pending.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().emitter().fail(unavailable("the analysis worker stopped while running this request ("
                        + reason + "); it is being restarted, please retry"));
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
        long delay = failed <= 1 ? 0 : Math.min(30_000, 250L << Math.min(failed - 1, 7));
        Log.warnf("analysis worker %d ended (%s); restarting in %d ms", process.pid(), reason, delay);
        try {
            scheduler.schedule(this::launch, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            Log.debug("not restarting the analysis worker: shutting down");
        }
    }

    private void launch() {
        if (closed) {
            return;
        }
        try {
            current = launcher.launch(this);
        } catch (IOException | RuntimeException e) {
            lastProblem = "the worker could not be started: " + e.getMessage();
            Log.errorf("cannot start the analysis worker: %s", e.getMessage());
            int failed = failures.incrementAndGet();
            scheduler.schedule(this::launch, Math.min(30_000, 250L << Math.min(failed, 7)), TimeUnit.MILLISECONDS);
        }
    }

    static ProblemException unavailable(String detail) {
        return new ProblemException(ProblemType.WORKER_UNAVAILABLE, detail);
    }
}
