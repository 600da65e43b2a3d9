package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.util.List;

/**
 * What one execution of analysis code gave.
 *
 * <p>{@code result} is the code's {@code result} variable as JSON: scalars (NaN as null, infinities as
 * {@code "Infinity"}/{@code "-Infinity"}, timestamps and timedeltas as ISO 8601 strings), strings (cut at
 * {@code MAX_OUTPUT_SIZE}), lists, objects, and typed objects for pandas and numpy values:
 * {@code {type: dataframe, columns, dtypes, data: [row objects], shape, truncated, total_rows, index?}},
 * {@code {type: series, name, dtype, data: {label: value}, length, truncated}}, {@code {type: index, ...}},
 * {@code {type: ndarray, dtype, shape, data, truncated}}, else {@code {type: object, class, repr}}.
 *
 * @param outcome how the execution ended
 * @param result the {@code result} variable (null unless the outcome is {@link Outcome#SUCCESS})
 * @param resultTruncated whether anything in the result was cut to its bounds
 * @param stdout what the code printed (bounded)
 * @param stdoutTruncated whether the printed output was cut
 * @param charts the figures the code left open
 * @param chartsTruncated whether charts were dropped or scaled down
 * @param error why the execution failed (null on success)
 * @param duration wall-clock time of the execution, from its start in the worker to its end
 * @param summary facts of the whole result, computed before it was cut to its sample ({@code {rows, columns: [{name,
 *        count, sum, mean, min, min_label, max, max_label, first, first_label, last, last_label, ...}]}}); null for
 *        results without rows and failed executions
 */
@RegisterForReflection
public record ExecutionResult(
        Outcome outcome,
        JsonNode result,
        boolean resultTruncated,
        String stdout,
        boolean stdoutTruncated,
        List<Chart> charts,
        boolean chartsTruncated,
        ExecutionError error,
        Duration duration,
        JsonNode summary) {

    public ExecutionResult {
        stdout = stdout == null ? "" : stdout;
        charts = charts == null ? List.of() : List.copyOf(charts);
    }

    /** A result without facts of the whole result. */
    public ExecutionResult(
            Outcome outcome,
            JsonNode result,
            boolean resultTruncated,
            String stdout,
            boolean stdoutTruncated,
            List<Chart> charts,
            boolean chartsTruncated,
            ExecutionError error,
            Duration duration) {
        this(outcome, result, resultTruncated, stdout, stdoutTruncated, charts, chartsTruncated, error, duration, null);
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCESS;
    }

    static ExecutionResult failed(Outcome outcome, ExecutionError error, Duration duration) {
        return new ExecutionResult(outcome, null, false, "", false, List.of(), false, error, duration);
    }
}
