package io.llmanalytics.analyst.plan;

import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.schema.DatasetSchema;
import java.util.List;
import java.util.Objects;

/**
 * What writing a plan needs.
 *
 * @param mode the pattern to follow (never {@link Mode#ANSWER})
 * @param question the user's question (trimmed)
 * @param datasets the session's datasets; the first is {@code df}
 * @param sharedColumns candidate join keys between the datasets
 * @param privacy whether no cell value may reach the model
 * @param maxSteps the most steps the plan may have (the steps budget)
 */
public record PlanRequest(
        Mode mode,
        String question,
        List<DatasetSchema> datasets,
        List<SharedColumn> sharedColumns,
        boolean privacy,
        int maxSteps) {

    public PlanRequest {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(question, "question");
        if (datasets == null || datasets.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one dataset");
        }
        datasets = List.copyOf(datasets);
        sharedColumns = sharedColumns == null ? List.of() : List.copyOf(sharedColumns);
    }
}
