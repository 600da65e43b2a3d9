package io.llmanalytics.sandbox;

import io.llmanalytics.dataset.DatasetFiles;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.WorkerReply.Evicted;
import io.llmanalytics.sandbox.WorkerReply.LoadFailed;
import io.llmanalytics.sandbox.WorkerReply.Loaded;
import io.llmanalytics.sandbox.WorkerRequest.DatasetSpec;
import io.llmanalytics.sandbox.WorkerRequest.Load;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which sessions' datasets the worker holds, and loading them: a session's datasets are materialised from the store,
 * loaded once (concurrent loads of the same set share one) and remembered until the worker drops them. The worker's
 * own word ({@code evicted}) and its restarts keep this view right; an empty view is always correct (an execution of
 * a session the worker does not hold is answered {@code not_loaded} and loads it).
 */
final class DatasetCache {

    private final Supplier<DatasetFiles> files;
    private final SandboxMetrics metrics;
    private final Duration loadTimeout;
    private final Map<String, Uni<Void>> loading = new ConcurrentHashMap<>();
    private final Map<String, Long> cached = new ConcurrentHashMap<>();

    DatasetCache(Supplier<DatasetFiles> files, SandboxMetrics metrics, Duration loadTimeout) {
        this.files = files;
        this.metrics = metrics;
        this.loadTimeout = loadTimeout;
    }

    /** Loads the session's datasets (identified by {@code key}) into the worker; one load per set at a time. */
    Uni<Void> load(WorkerConnection worker, String sessionId, List<DatasetSource> datasets, String key) {
        String name = sessionId + '\u0000' + key;
        return loading.computeIfAbsent(
                name,
                k -> doLoad(worker, sessionId, datasets, key)
                        .onTermination()
                        .invoke(() -> loading.remove(k))
                        .memoize()
                        .indefinitely());
    }

    private Uni<Void> doLoad(WorkerConnection worker, String sessionId, List<DatasetSource> datasets, String key) {
        DatasetFiles store = datasets.isEmpty() ? null : files.get();
        if (!datasets.isEmpty() && store == null) {
            return Uni.createFrom()
                    .failure(WorkerConnection.unavailable(
                            "no dataset store is available to load the session's datasets"));
        }
        long started = System.nanoTime();
        List<Uni<Path>> materialised = datasets.isEmpty()
                ? List.of()
                : datasets.stream().map(store::materialise).toList();
        Uni<List<Path>> paths = materialised.isEmpty()
                ? Uni.createFrom().item(List.of())
                : Uni.join().all(materialised).andFailFast();
        return paths.chain(local -> {
                    long id = worker.nextId();
                    List<DatasetSpec> specs = new ArrayList<>();
                    for (int i = 0; i < datasets.size(); i++) {
                        specs.add(spec(datasets.get(i), local.get(i)));
                    }
                    return worker.request(new Load(id, sessionId, key, specs), id, loadTimeout)
                            .onFailure(WorkerConnection.NoReply.class)
                            .transform(
                                    e -> WorkerConnection.unavailable("loading the session's datasets took longer than "
                                            + loadTimeout.toSeconds() + " s"))
                            .eventually(() -> deleteLater(local));
                })
                .map(reply -> switch (reply) {
                    case Loaded loaded -> {
                        cached.put(sessionId, loaded.bytes());
                        metrics.load(Duration.ofNanos(System.nanoTime() - started));
                        yield null;
                    }
                    case LoadFailed failed ->
                        throw new ProblemException(
                                ProblemType.UNPROCESSABLE,
                                "the session's data could not be loaded for analysis: " + failed.error());
                    default ->
                        throw WorkerConnection.violation(
                                "it answered a load with " + reply.getClass().getSimpleName());
                });
    }

    static DatasetSpec spec(DatasetSource source, Path path) {
        return new DatasetSpec(
                source.name(),
                source.isDefault(),
                path.toAbsolutePath().toString(),
                List.copyOf(source.columns()),
                new TreeMap<>(source.dtypes()),
                List.copyOf(source.dateColumns()),
                source.naValues() == null || source.naValues().isEmpty()
                        ? List.of("")
                        : List.copyOf(source.naValues()));
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

    /** The worker no longer holds the session's datasets (it said so, or it was asked to drop them). */
    void forget(String sessionId) {
        cached.remove(sessionId);
    }

    /** The worker restarted: it holds nothing. */
    void clear() {
        cached.clear();
    }

    void onEvicted(Evicted evicted) {
        if (!"requested".equals(evicted.reason())) {
            metrics.eviction();
        }
        cached.remove(evicted.session());
        Log.debugf("worker dropped session %s: %s", evicted.session(), evicted.reason());
    }

    int sessions() {
        return cached.size();
    }

    long bytes() {
        return cached.values().stream().mapToLong(Long::longValue).sum();
    }

    Set<String> sessionIds() {
        return Set.copyOf(cached.keySet());
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
}
