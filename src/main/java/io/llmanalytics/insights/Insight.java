package io.llmanalytics.insights;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * One automatic insight about a dataset.
 *
 * @param kind missing_values, constant_column, duplicate_columns, duplicate_rows, correlation, outliers, skewed,
 *        date_coverage or dominant_category
 * @param dataset the dataset it is about
 * @param columns the columns it is about (none for duplicate rows)
 * @param sentence what it says, in plain words
 * @param numbers the figures behind the sentence, as the code computed them
 * @param code the pandas code that computed {@code numbers} (it leaves them in {@code result}), runnable against
 *        {@code df} (the default dataset) or {@code dfs[name]}
 * @param question a follow-up question to ask about it
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true) // the worker also sends its ranking score
public record Insight(
        String kind,
        String dataset,
        List<String> columns,
        String sentence,
        Map<String, Object> numbers,
        String code,
        String question) {

    public Insight {
        columns = columns == null ? List.of() : List.copyOf(columns);
        numbers = numbers == null ? Map.of() : numbers;
    }
}
