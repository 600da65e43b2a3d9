package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.sandbox.WorkerReply.NotLoaded;
import io.llmanalytics.sandbox.WorkerReply.Result;
import io.llmanalytics.sandbox.WorkerRequest.Cancel;
import io.llmanalytics.sandbox.WorkerRequest.Execute;
import io.llmanalytics.sandbox.WorkerRequest.Insights;
import io.llmanalytics.sandbox.WorkerRequest.Limits;
import io.llmanalytics.sandbox.WorkerRequest.OutputBounds;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs one execution (analysis code, or the insights) in the worker: sends its request, loads the session's datasets
 * when the worker answers {@code not_loaded} and tries once more, maps the result, kills the execution when its
 * caller cancels, and treats a worker silent long after the deadline as stuck.
 */
final class ExecutionRunner {

    /** What to run: {@code code}, or the insights with {@code insightOptions} when that is not null. */
    record Job(
            String sessionId,
            List<DatasetSource> datasets,
            String key,
            String code,
            Map<String, Object> insightOptions,
            int maxRows,
            int maxItems,
            Map<String, JsonNode> bindings) {

        Job(
                String sessionId,
                List<DatasetSource> datasets,
                String key,
                String code,
                Map<String, Object> insightOptions,
                int maxRows,
                int maxItems) {
            this(sessionId, datasets, key, code, insightOptions, maxRows, maxItems, Map.of());
        }
    }

    private final SandboxSettings settings;
    private final DatasetCache cache;
    private final SandboxMetrics metrics;
    private final ResultMapper mapper;

    ExecutionRunner(SandboxSettings settings, DatasetCache cache, SandboxMetrics metrics) {
        this.settings = settings;
        this.cache = cache;
        this.metrics = metrics;
        this.mapper = new ResultMapper(settings);
    }

    Uni<ExecutionResult> run(WorkerConnection worker, Job job) {
        return run(worker, job, true);
    }

    private Uni<ExecutionResult> run(WorkerConnection worker, Job job, boolean mayLoad) {
        long id = worker.nextId();
        Duration wait = settings.timeout().plus(settings.grace());
        return worker.request(request(id, job), id, wait)
                .onFailure(WorkerConnection.NoReply.class)
                .recoverWithUni(() -> stuck(worker, id))
                .onCancellation()
                .invoke(() -> {
                    metrics.kill();
                    worker.send(new Cancel(id));
                })
                .chain(reply -> switch (reply) {
                    case NotLoaded notLoaded -> reload(worker, job, mayLoad);
                    case Result result -> Uni.createFrom().item(mapped(result, mayLoad));
                    default ->
                        Uni.createFrom()
                                .failure(WorkerConnection.violation("it answered an execution with "
                                        + reply.getClass().getSimpleName()));
                });
    }

    private WorkerRequest request(long id, Job job) {
        Limits limits = new Limits(
                settings.timeout().toMillis(),
                settings.cpuSeconds(),
                settings.addressSpaceHeadroom(),
                settings.maxOpenFiles());
        OutputBounds output = new OutputBounds(
                settings.maxOutput(), job.maxRows(), job.maxItems(), settings.maxCharts(), settings.maxChartBytes());
        return job.insightOptions() == null
                ? new Execute(id, job.sessionId(), job.key(), job.code(), limits, output, job.bindings())
                : new Insights(id, job.sessionId(), job.key(), limits, output, job.insightOptions());
    }

    private Uni<ExecutionResult> reload(WorkerConnection worker, Job job, boolean mayLoad) {
        if (!mayLoad) {
            return Uni.createFrom()
                    .failure(WorkerConnection.unavailable(
                            "the worker dropped the session's datasets right after loading them"));
        }
        metrics.miss();
        cache.forget(job.sessionId());
        return cache.load(worker, job.sessionId(), job.datasets(), job.key()).chain(() -> run(worker, job, false));
    }

    private ExecutionResult mapped(Result reply, boolean firstTry) {
        if (firstTry) {
            metrics.hit();
        }
        ExecutionResult result = mapper.map(reply);
        if (result.outcome() == Outcome.TIMEOUT) {
            metrics.timeout();
        }
        if (result.outcome() == Outcome.TIMEOUT || result.outcome() == Outcome.KILLED) {
            metrics.kill();
        }
        return result;
    }

    /** No answer long after the deadline: the worker is stuck; kill the execution and check the worker. */
    private Uni<WorkerReply> stuck(WorkerConnection worker, long id) {
        worker.send(new Cancel(id));
        long probe = worker.nextId();
        worker.request(new WorkerRequest.Stats(probe), probe, Duration.ofSeconds(2))
                .subscribe()
                .with(ok -> {}, e -> worker.restart("it stopped answering (" + e.getMessage() + ")"));
        return Uni.createFrom()
                .item(new Result(
                        id, "timeout", settings.timeout().plus(settings.grace()).toMillis()));
    }
}
