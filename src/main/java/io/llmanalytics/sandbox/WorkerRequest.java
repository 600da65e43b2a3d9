package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A request of the worker protocol, from the service to the supervisor. The messages and their fields are described
 * once, in {@code worker/protocol.py}; {@link WorkerProtocol} encodes these records as its headers.
 */
sealed interface WorkerRequest
        permits WorkerRequest.Configure,
                WorkerRequest.Load,
                WorkerRequest.Execute,
                WorkerRequest.Insights,
                WorkerRequest.Cancel,
                WorkerRequest.Evict,
                WorkerRequest.Stats,
                WorkerRequest.Shutdown {

    /** The first request, exactly once: what the supervisor needs before it imports anything. */
    record Configure(
            String allowedModules, long memoryBudget, double idleSeconds, boolean allowUnconfined, String landlock)
            implements WorkerRequest {}

    /** Loads a session's datasets into a zygote of their own; answered by {@code loaded} or {@code load_failed}. */
    record Load(long id, String session, String key, List<DatasetSpec> datasets) implements WorkerRequest {}

    /**
     * Runs analysis code on the session's datasets; answered by {@code not_loaded}, or by a {@code result} and its
     * {@code end_of_execution}.
     */
    record Execute(
            long id,
            String session,
            String key,
            String code,
            Limits limits,
            OutputBounds output,
            Map<String, JsonNode> bindings)
            implements WorkerRequest {

        /** An execution without bindings (every single-question analysis). */
        Execute(long id, String session, String key, String code, Limits limits, OutputBounds output) {
            this(id, session, key, code, limits, output, Map.of());
        }

        public Execute {
            bindings = bindings == null ? Map.of() : Map.copyOf(bindings);
        }
    }

    /** Computes the automatic insights of the session's datasets; answered as {@link Execute}. */
    record Insights(
            long id, String session, String key, Limits limits, OutputBounds output, Map<String, Object> options)
            implements WorkerRequest {}

    /** Kills an execution; its result (outcome {@code cancelled}) and end still come. */
    record Cancel(long id) implements WorkerRequest {}

    /** Drops a session's datasets at once; answered by {@code evicted}. */
    record Evict(String session) implements WorkerRequest {}

    /** Asks what the supervisor holds; answered by {@code stats} (used as a liveness probe). */
    record Stats(long id) implements WorkerRequest {}

    /** Stops the supervisor and every zygote. */
    record Shutdown() implements WorkerRequest {}

    /** The limits of one execution child. */
    record Limits(long timeoutMs, long cpuSeconds, long addressSpaceHeadroom, long maxOpenFiles) {}

    /** The bounds of what an execution returns. */
    record OutputBounds(
            long maxOutput, long maxSampleRows, long maxSeriesItems, long maxFigures, long maxFigureBytes) {}

    /** One dataset to load: its canonical CSV file and its stored schema (see {@code worker/datasets.py}). */
    record DatasetSpec(
            String name,
            boolean isDefault,
            String path,
            List<String> columns,
            Map<String, String> dtypes,
            List<String> dateColumns,
            List<String> naValues) {}
}
