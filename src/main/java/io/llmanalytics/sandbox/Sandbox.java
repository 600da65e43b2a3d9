package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.dataset.DatasetFiles;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.WorkerRequest.Evict;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs generated analysis code against a session's datasets in the sandboxed, time-boxed CPython worker.
 *
 * <p>Every method is non-blocking. A session's datasets are loaded into the worker once (on {@link #prefetch} or on
 * the first execution) and kept until evicted (least recently used beyond the memory budget, or
 * {@link #evict}). Failures of the service, not of the code, are {@link ProblemException}s: WORKER_BUSY (with a
 * Retry-After) when all slots and the queue are taken, WORKER_UNAVAILABLE when the worker is starting, restarting,
 * stopped or breaks its protocol, UNPROCESSABLE when a dataset cannot be loaded.
 *
 * <p>A thin façade: {@link WorkerLauncher} starts the worker, {@link WorkerConnection} speaks its protocol (records in
 * {@link WorkerProtocol}), {@link DatasetCache} knows what it holds, {@link ExecutionRunner} runs one execution,
 * {@link ExecutionLimiter} bounds how many run at once and {@link SandboxMetrics} counts.
 */
@ApplicationScoped
public class Sandbox {

    private final SandboxSettings settings;
    private final SandboxMetrics metrics;
    private final ExecutionLimiter limiter;
    private final DatasetCache cache;
    private final ExecutionRunner runner;
    private volatile WorkerConnection connection;
    private volatile WorkerFiles installed;

    @Inject
    public Sandbox(SandboxConfig config, Instance<DatasetFiles> files, MeterRegistry registry) {
        this(SandboxSettings.from(config), () -> files.isResolvable() ? files.get() : null, registry);
    }

    Sandbox(SandboxSettings settings, DatasetFiles files, MeterRegistry registry) {
        this(settings, () -> files, registry);
    }

    private Sandbox(SandboxSettings settings, Supplier<DatasetFiles> files, MeterRegistry registry) {
        this.settings = settings;
        this.metrics = new SandboxMetrics(registry);
        this.limiter = new ExecutionLimiter(
                settings.concurrency(), settings.queueSize(), settings.queueTimeout(), settings.retryAfter());
        this.cache = new DatasetCache(files, metrics, settings.loadTimeout());
        this.runner = new ExecutionRunner(settings, cache, metrics);
        metrics.gauges(limiter::queued, limiter::running, cache::sessions, cache::bytes);
    }

    /** First among the start-up observers: importing pandas and friends takes seconds, readiness waits for it. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        start();
    }

    /** Starts the worker in the background (the service's start-up does not wait for it). */
    public synchronized void start() {
        if (!settings.enabled() || connection != null) {
            return;
        }
        if (settings.allowUnconfined()) {
            Log.warn("UNSAFE: sandbox.allow-unconfined (SANDBOX_ALLOW_UNCONFINED) is on: analysis code runs even where"
                    + " the worker cannot confine it with Landlock. Development only; never in production.");
        }
        installed = WorkerFiles.install();
        start(new WorkerLauncher(settings, installed, WorkerFiles.allowedModules()));
    }

    /** Starts with another launcher (tests). */
    synchronized void start(WorkerConnection.Launcher launcher) {
        connection =
                new WorkerConnection(launcher, settings.startTimeout(), settings.standby(), cache::onEvicted, () -> {
                    metrics.restart();
                    cache.clear();
                });
        connection.start();
    }

    @PreDestroy
    public synchronized void stop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (installed != null) {
            installed.delete();
            installed = null;
        }
    }

    /**
     * Runs {@code code} with the session's datasets ({@code df} is the default one, {@code dfs} all by name), loading
     * them first when the worker does not hold them. Cancelling the returned Uni kills the execution.
     */
    public Uni<ExecutionResult> execute(String sessionId, List<DatasetSource> sources, String code) {
        return execute(sessionId, sources, code, settings.maxSampleRows(), settings.maxSeriesItems(), Map.of());
    }

    /**
     * As {@link #execute(String, List, String)}, with earlier steps' results of a multi-step analysis bound to the
     * names given ({@code step1}, {@code step2}...): the JSON results the service holds, decoded by the child into a
     * DataFrame, Series or plain value ({@code worker/bindings.py}); nothing is unpickled.
     */
    public Uni<ExecutionResult> execute(
            String sessionId, List<DatasetSource> sources, String code, Map<String, JsonNode> bindings) {
        return execute(sessionId, sources, code, settings.maxSampleRows(), settings.maxSeriesItems(), bindings);
    }

    /**
     * As {@link #execute(String, List, String)}, returning up to {@code maxRows} rows of a DataFrame and items of a
     * Series or list (instead of the configured sample bounds), for exports of a result; the worker's bound on the size
     * of a result (2 MB of JSON) still applies.
     */
    public Uni<ExecutionResult> executeForExport(
            String sessionId, List<DatasetSource> sources, String code, int maxRows) {
        return execute(sessionId, sources, code, maxRows, maxRows);
    }

    private Uni<ExecutionResult> execute(
            String sessionId, List<DatasetSource> sources, String code, int maxRows, int maxItems) {
        return execute(sessionId, sources, code, maxRows, maxItems, Map.of());
    }

    private Uni<ExecutionResult> execute(
            String sessionId,
            List<DatasetSource> sources,
            String code,
            int maxRows,
            int maxItems,
            Map<String, JsonNode> bindings) {
        Objects.requireNonNull(sessionId, "sessionId");
        List<DatasetSource> datasets = sources == null ? List.of() : sources;
        if (code == null || code.isBlank()) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.UNPROCESSABLE, "there is no code to run"));
        }
        if (code.length() > settings.maxCodeSize()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.UNPROCESSABLE,
                            "the code is " + code.length() + " characters long; the limit is "
                                    + settings.maxCodeSize()));
        }
        WorkerConnection worker = connection;
        if (worker == null) {
            return Uni.createFrom().failure(disabled());
        }
        ExecutionRunner.Job job = new ExecutionRunner.Job(
                sessionId, datasets, DatasetCache.key(datasets), code, null, maxRows, maxItems, bindings);
        long started = System.nanoTime();
        return confined(worker)
                .chain(limiter::acquire)
                .onFailure(e -> e instanceof ProblemException p && p.type() == ProblemType.WORKER_BUSY)
                .invoke(e -> metrics.execution("busy", null))
                .chain(permit -> runner.run(worker, job).onTermination().invoke(permit::release))
                .invoke(result -> metrics.execution(
                        result.outcome().name().toLowerCase(), Duration.ofNanos(System.nanoTime() - started)))
                .onFailure(e -> !(e instanceof ProblemException p && p.type() == ProblemType.WORKER_BUSY))
                .invoke(e -> metrics.execution("failed", Duration.ofNanos(System.nanoTime() - started)))
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Computes the automatic insights of the session's datasets in the worker: the trusted insights module
     * ({@code worker/insights.py}) runs in an execution child with the same layers, limits and deadline as analysis
     * code, loading the datasets first when the worker does not hold them. The result (on {@link Outcome#SUCCESS}) is
     * {@code {insights: [{kind, dataset, columns, sentence, numbers, code, question, score}], skipped, found}};
     * {@code options} tune the thresholds (see {@code DEFAULTS} in insights.py). Waits for a slot like an execution.
     */
    public Uni<ExecutionResult> insights(String sessionId, List<DatasetSource> sources, Map<String, ?> options) {
        Objects.requireNonNull(sessionId, "sessionId");
        List<DatasetSource> datasets = sources == null ? List.of() : sources;
        WorkerConnection worker = connection;
        if (worker == null) {
            return Uni.createFrom().failure(disabled());
        }
        ExecutionRunner.Job job = new ExecutionRunner.Job(
                sessionId,
                datasets,
                DatasetCache.key(datasets),
                null,
                options == null ? Map.of() : new LinkedHashMap<String, Object>(options),
                settings.maxSampleRows(),
                settings.maxSeriesItems());
        return confined(worker)
                .chain(limiter::acquire)
                .chain(permit -> runner.run(worker, job).onTermination().invoke(permit::release))
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Loads the session's datasets into the worker ahead of its first question. */
    public Uni<Void> prefetch(String sessionId, List<DatasetSource> sources) {
        Objects.requireNonNull(sessionId, "sessionId");
        List<DatasetSource> datasets = sources == null ? List.of() : sources;
        WorkerConnection worker = connection;
        if (worker == null) {
            return Uni.createFrom().failure(disabled());
        }
        return confined(worker)
                .chain(() -> cache.load(worker, sessionId, datasets, DatasetCache.key(datasets)))
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Drops the session's datasets from the worker (for deleted sessions); executions in flight fail. */
    public void evict(String sessionId) {
        WorkerConnection worker = connection;
        if (worker != null) {
            worker.send(new Evict(sessionId));
        }
        cache.forget(sessionId);
    }

    /** The worker's state, for health reports; never blocks. */
    public SandboxStatus status() {
        WorkerConnection worker = connection;
        WorkerConnection.Info info = worker == null ? null : worker.info();
        return new SandboxStatus(
                settings.enabled(),
                info != null,
                info == null ? null : info.pid(),
                info == null ? null : info.python(),
                info == null ? null : info.pandas(),
                info == null ? null : info.confinement(),
                settings.allowUnconfined(),
                cache.sessions(),
                cache.bytes(),
                limiter.running(),
                limiter.queued(),
                limiter.slots(),
                settings.queueSize(),
                worker != null && worker.standbyReady(),
                worker == null ? 0 : worker.restarts(),
                worker == null ? null : worker.lastProblem());
    }

    /** Completes when the worker is ready to execute (at most the start timeout). */
    public Uni<Void> awaitReady() {
        WorkerConnection worker = connection;
        return worker == null
                ? Uni.createFrom().failure(disabled())
                : worker.whenReady().replaceWithVoid();
    }

    /**
     * Waits for the worker, then refuses (503, saying why) when its self-test could not prove the confinement of
     * analysis code and running unconfined is not explicitly allowed.
     */
    private Uni<Void> confined(WorkerConnection worker) {
        return worker.whenReady().chain(process -> {
            WorkerConnection.Info info = worker.info();
            if (info != null && !info.confinement().mayRun()) {
                return Uni.createFrom().failure(unconfined(info.confinement()));
            }
            return Uni.createFrom().voidItem();
        });
    }

    static ProblemException unconfined(Confinement confinement) {
        return WorkerConnection.unavailable("analysis code cannot be confined on this host (" + confinement.problem()
                + "), so the service refuses to run it; run the service on Linux 5.13 or later with Landlock enabled"
                + " (sandbox.allow-unconfined / SANDBOX_ALLOW_UNCONFINED=true is for development only)");
    }

    /** The connection to the worker (benchmarks time its round trips); null when stopped or disabled. */
    WorkerConnection worker() {
        return connection;
    }

    Set<String> cachedSessions() {
        return cache.sessionIds();
    }

    private static ProblemException disabled() {
        return WorkerConnection.unavailable("the analysis worker is disabled (sandbox.enabled=false)");
    }
}
