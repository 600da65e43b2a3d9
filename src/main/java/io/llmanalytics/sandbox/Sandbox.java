package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmanalytics.dataset.DatasetFiles;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs generated analysis code against a session's datasets in the sandboxed, time-boxed CPython worker.
 *
 * <p>Every method is non-blocking. A session's datasets are loaded into the worker once (on {@link #prefetch} or on
 * the first execution) and kept until evicted (least recently used beyond the memory budget, or
 * {@link #evict}). Failures of the service, not of the code, are {@link ProblemException}s: WORKER_BUSY (with a
 * Retry-After) when all slots and the queue are taken, WORKER_UNAVAILABLE when the worker is starting, restarting
 * or stopped, UNPROCESSABLE when a dataset cannot be loaded.
 */
@ApplicationScoped
public class Sandbox {

    private final SandboxSettings settings;
    private final Supplier<DatasetFiles> files;
    private final SandboxMetrics metrics;
    private final ExecutionLimiter limiter;
    private final ResultMapper mapper;
    private final Map<String, Uni<Void>> loading = new ConcurrentHashMap<>();
    private final Map<String, Long> cached = new ConcurrentHashMap<>();
    private final String allowedModules;
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
        this.files = files;
        this.metrics = new SandboxMetrics(registry);
        this.limiter = new ExecutionLimiter(
                settings.concurrency(), settings.queueSize(), settings.queueTimeout(), settings.retryAfter());
        this.mapper = new ResultMapper(settings);
        this.allowedModules = WorkerFiles.allowedModules();
        metrics.gauges(
                limiter::queued,
                limiter::running,
                cached::size,
                () -> cached.values().stream().mapToLong(Long::longValue).sum());
    }

    void onStart(@Observes StartupEvent event) {
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
        start(listener -> launch(installed, listener));
    }

    /** Starts with another launcher (tests). */
    synchronized void start(WorkerConnection.Launcher launcher) {
        connection = new WorkerConnection(launcher, settings.startTimeout(), settings.standby(), this::onEvent, () -> {
            metrics.restart();
            cached.clear();
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
        return execute(sessionId, sources, code, settings.maxSampleRows(), settings.maxSeriesItems());
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
        String key = key(datasets);
        long started = System.nanoTime();
        return confined(worker)
                .chain(limiter::acquire)
                .onFailure(e -> e instanceof ProblemException p && p.type() == ProblemType.WORKER_BUSY)
                .invoke(e -> metrics.execution("busy", null))
                .chain(permit -> run(worker, sessionId, datasets, key, code, null, true, maxRows, maxItems)
                        .onTermination()
                        .invoke(permit::release))
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
        ObjectNode insightOptions = FrameCodec.JSON.valueToTree(options == null ? Map.of() : options);
        String key = key(datasets);
        return confined(worker)
                .chain(limiter::acquire)
                .chain(permit -> run(
                                worker,
                                sessionId,
                                datasets,
                                key,
                                null,
                                insightOptions,
                                true,
                                settings.maxSampleRows(),
                                settings.maxSeriesItems())
                        .onTermination()
                        .invoke(permit::release))
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
                .chain(() -> load(worker, sessionId, datasets, key(datasets)))
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Drops the session's datasets from the worker (for deleted sessions); executions in flight fail. */
    public void evict(String sessionId) {
        WorkerConnection worker = connection;
        if (worker != null) {
            ObjectNode request =
                    FrameCodec.JSON.createObjectNode().put("op", "evict").put("session", sessionId);
            worker.send(request);
        }
        cached.remove(sessionId);
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
                cached.size(),
                cached.values().stream().mapToLong(Long::longValue).sum(),
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

    // ---------------------------------------------------------------------------------------------------------------

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

    /** Runs {@code code}, or the insights with {@code insightOptions} when that is not null. */
    private Uni<ExecutionResult> run(
            WorkerConnection worker,
            String sessionId,
            List<DatasetSource> datasets,
            String key,
            String code,
            ObjectNode insightOptions,
            boolean mayLoad,
            int maxRows,
            int maxItems) {
        long id = worker.nextId();
        ObjectNode request = FrameCodec.JSON
                .createObjectNode()
                .put("op", insightOptions == null ? "exec" : "insights")
                .put("id", id)
                .put("session", sessionId)
                .put("key", key);
        if (insightOptions == null) {
            request.put("code", code);
        } else {
            request.set("options", insightOptions);
        }
        request.putObject("limits")
                .put("timeout_ms", settings.timeout().toMillis())
                .put("cpu_seconds", settings.cpuSeconds())
                .put("address_space_headroom", settings.addressSpaceHeadroom())
                .put("max_open_files", settings.maxOpenFiles());
        request.putObject("output")
                .put("max_output", settings.maxOutput())
                .put("max_sample_rows", maxRows)
                .put("max_series_items", maxItems)
                .put("max_figures", settings.maxCharts())
                .put("max_figure_bytes", settings.maxChartBytes());
        Duration wait = settings.timeout().plus(settings.grace());
        return worker.request(request)
                .ifNoItem()
                .after(wait)
                .recoverWithUni(() -> stuck(worker, id))
                .onCancellation()
                .invoke(() -> {
                    metrics.kill();
                    worker.send(FrameCodec.JSON
                            .createObjectNode()
                            .put("op", "cancel")
                            .put("id", id));
                })
                .chain(frame -> {
                    if ("not_loaded".equals(frame.type())) {
                        if (!mayLoad) {
                            return Uni.createFrom()
                                    .failure(WorkerConnection.unavailable(
                                            "the worker dropped the session's datasets right after loading them"));
                        }
                        metrics.miss();
                        cached.remove(sessionId);
                        return load(worker, sessionId, datasets, key)
                                .chain(() -> run(
                                        worker,
                                        sessionId,
                                        datasets,
                                        key,
                                        code,
                                        insightOptions,
                                        false,
                                        maxRows,
                                        maxItems));
                    }
                    if (mayLoad) {
                        metrics.hit();
                    }
                    ExecutionResult result = mapper.map(frame);
                    if (result.outcome() == Outcome.TIMEOUT) {
                        metrics.timeout();
                    }
                    if (result.outcome() == Outcome.TIMEOUT || result.outcome() == Outcome.KILLED) {
                        metrics.kill();
                    }
                    return Uni.createFrom().item(result);
                });
    }

    /** No answer long after the deadline: the worker is stuck; kill the execution and check the worker. */
    private Uni<Frame> stuck(WorkerConnection worker, long id) {
        worker.send(FrameCodec.JSON.createObjectNode().put("op", "cancel").put("id", id));
        long probe = worker.nextId();
        worker.request(FrameCodec.JSON.createObjectNode().put("op", "stats").put("id", probe))
                .ifNoItem()
                .after(Duration.ofSeconds(2))
                .fail()
                .subscribe()
                .with(ok -> {}, e -> worker.restart("it stopped answering (" + e.getMessage() + ")"));
        ObjectNode header = FrameCodec.JSON
                .createObjectNode()
                .put("type", "result")
                .put("id", id)
                .put("outcome", "timeout")
                .put("duration_ms", settings.timeout().plus(settings.grace()).toMillis());
        return Uni.createFrom().item(new Frame(header));
    }

    private Uni<Void> load(WorkerConnection worker, String sessionId, List<DatasetSource> datasets, String key) {
        String name = sessionId + '\u0000' + key;
        return loading.computeIfAbsent(name, k -> {
            Uni<Void> shared = doLoad(worker, sessionId, datasets, key)
                    .onTermination()
                    .invoke(() -> loading.remove(k))
                    .memoize()
                    .indefinitely();
            return shared;
        });
    }

    private Uni<Void> doLoad(WorkerConnection worker, String sessionId, List<DatasetSource> datasets, String key) {
        DatasetFiles store = datasets.isEmpty() ? null : files.get();
        if (!datasets.isEmpty() && store == null) {
            return Uni.createFrom()
                    .failure(WorkerConnection.unavailable(
                            "no dataset store is available to load the session's datasets"));
        }
        long started = System.nanoTime();
        List<Uni<Path>> materialised =
                datasets.stream().map(source -> store.materialise(source)).toList();
        Uni<List<Path>> paths = materialised.isEmpty()
                ? Uni.createFrom().item(List.of())
                : Uni.join().all(materialised).andFailFast();
        return paths.chain(local -> {
                    ObjectNode request = FrameCodec.JSON
                            .createObjectNode()
                            .put("op", "load")
                            .put("id", worker.nextId())
                            .put("session", sessionId)
                            .put("key", key);
                    ArrayNode specs = request.putArray("datasets");
                    for (int i = 0; i < datasets.size(); i++) {
                        specs.add(spec(datasets.get(i), local.get(i)));
                    }
                    return worker.request(request)
                            .ifNoItem()
                            .after(settings.loadTimeout())
                            .failWith(() ->
                                    WorkerConnection.unavailable("loading the session's datasets took longer than "
                                            + settings.loadTimeout().toSeconds() + " s"))
                            .eventually(() -> deleteLater(local));
                })
                .map(reply -> {
                    if (!"loaded".equals(reply.type())) {
                        throw new ProblemException(
                                ProblemType.UNPROCESSABLE,
                                "the session's data could not be loaded for " + "analysis: "
                                        + reply.header().path("error").asText("unknown error"));
                    }
                    cached.put(sessionId, reply.header().path("bytes").asLong());
                    metrics.load(Duration.ofNanos(System.nanoTime() - started));
                    return null;
                });
    }

    private static ObjectNode spec(DatasetSource source, Path path) {
        ObjectNode spec = FrameCodec.JSON
                .createObjectNode()
                .put("name", source.name())
                .put("default", source.isDefault())
                .put("path", path.toAbsolutePath().toString());
        ArrayNode columns = spec.putArray("columns");
        source.columns().forEach(columns::add);
        ObjectNode dtypes = spec.putObject("dtypes");
        source.dtypes().forEach(dtypes::put);
        ArrayNode dates = spec.putArray("date_columns");
        source.dateColumns().forEach(dates::add);
        ArrayNode naValues = spec.putArray("na_values");
        (source.naValues() == null || source.naValues().isEmpty() ? List.of("") : source.naValues())
                .forEach(naValues::add);
        return spec;
    }

    private static Uni<Void> deleteLater(List<Path> paths) {
        return Uni.createFrom()
                .<Void>item(() -> {
                    for (Path path : paths) {
                        try {
                            Files.deleteIfExists(path);
                        } catch (IOException e) {
                            Log.debugf("could not delete %s: %s", path, e.getMessage());
                        }
                    }
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private void onEvent(Frame frame) {
        String session = frame.header().path("session").asText();
        if (!"requested".equals(frame.header().path("reason").asText())) {
            metrics.eviction();
        }
        cached.remove(session);
        Log.debugf(
                "worker dropped session %s: %s",
                session, frame.header().path("reason").asText());
    }

    private SupervisorProcess launch(WorkerFiles files, SupervisorProcess.Listener listener) throws IOException {
        Map<String, String> environment = Map.of(
                "PATH",
                "/usr/bin:/bin",
                "LANG",
                "C.UTF-8",
                "LC_ALL",
                "C.UTF-8",
                "HOME",
                files.directory().toString(),
                "OPENBLAS_NUM_THREADS",
                "1",
                "OMP_NUM_THREADS",
                "1",
                "MKL_NUM_THREADS",
                "1",
                "MPLBACKEND",
                "Agg",
                "MPLCONFIGDIR",
                files.matplotlibCache().toString());
        SupervisorProcess process = SupervisorProcess.start(
                List.of(settings.python(), "-I", "-B", files.supervisor().toString()),
                environment,
                files.directory(),
                WorkerConnection.MAX_FRAME,
                listener);
        ObjectNode configure = FrameCodec.JSON
                .createObjectNode()
                .put("op", "configure")
                .put("allowed_modules", allowedModules)
                .put("memory_budget", settings.memoryBudget())
                .put("allow_unconfined", settings.allowUnconfined())
                .put("landlock", settings.landlockTestOff() ? "off" : "auto")
                .put("idle_seconds", settings.idleTimeout().toMillis() / 1000.0);
        process.send(FrameCodec.encode(configure));
        return process;
    }

    /** Identifies a session's set of datasets: executions and cached data must agree on it. */
    static String key(List<DatasetSource> datasets) {
        List<String> parts = new ArrayList<>();
        for (DatasetSource d : datasets) {
            parts.add(d.name()
                    + '\u0001'
                    + d.isDefault()
                    + '\u0001'
                    + d.fileId()
                    + '\u0001'
                    + d.contentHash()
                    + '\u0001'
                    + d.columns()
                    + '\u0001'
                    + new TreeMap<>(d.dtypes())
                    + '\u0001'
                    + d.dateColumns());
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest(String.join("\u0002", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Set<String> cachedSessions() {
        return Set.copyOf(cached.keySet());
    }

    private static ProblemException disabled() {
        return WorkerConnection.unavailable("the analysis worker is disabled (sandbox.enabled=false)");
    }
}
