package io.llmanalytics.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Facts of the whole result, computed by the worker before the result is cut to the sample the client gets
 * ({@code MAX_SAMPLE_ROWS} rows, {@code max-series-items} values): its row count and, per numeric column (a Series is
 * one column), count, sum, mean, lowest and highest value with their row labels, and the first and last values.
 * Interpretations take highest, lowest, first, last, totals and counts from here, never from the sample.
 *
 * @param rows the rows (or values) of the whole result
 * @param columns the numeric columns, in result order
 */
@RegisterForReflection
public record ResultSummary(long rows, List<Column> columns) {

    public ResultSummary {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    /**
     * One numeric column; the value fields are null when the column holds no number ({@code count} 0). Labels are the
     * row's index label, or for a table with a default index its first text or date column's value.
     */
    @RegisterForReflection
    public record Column(
            String name,
            long count,
            Double sum,
            Double mean,
            Double min,
            String minLabel,
            long minTies,
            Double max,
            String maxLabel,
            long maxTies,
            Double first,
            String firstLabel,
            Double last,
            String lastLabel) {

        /** Whether the column holds at least one number. */
        public boolean hasValues() {
            return count > 0 && max != null && min != null;
        }
    }

    /** The summary the worker sent ({@code summary} of the result frame), or empty when it sent none. */
    public static Optional<ResultSummary> of(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("rows").isNumber()) {
            return Optional.empty();
        }
        List<Column> columns = new ArrayList<>();
        for (JsonNode c : node.path("columns")) {
            columns.add(new Column(
                    text(c.get("name")),
                    c.path("count").asLong(0),
                    number(c.get("sum")),
                    number(c.get("mean")),
                    number(c.get("min")),
                    text(c.get("min_label")),
                    c.path("min_ties").asLong(1),
                    number(c.get("max")),
                    text(c.get("max_label")),
                    c.path("max_ties").asLong(1),
                    number(c.get("first")),
                    text(c.get("first_label")),
                    number(c.get("last")),
                    text(c.get("last_label"))));
        }
        return Optional.of(new ResultSummary(node.path("rows").asLong(), columns));
    }

    /** The column named {@code name}, else the only numeric column. */
    public Optional<Column> column(String name) {
        if (name != null) {
            for (Column c : columns) {
                if (name.equals(c.name())) {
                    return Optional.of(c);
                }
            }
        }
        return columns.size() == 1 ? Optional.of(columns.get(0)) : Optional.empty();
    }

    /** Every number these facts state, for the grounding check. */
    List<Double> numbers() {
        List<Double> numbers = new ArrayList<>();
        numbers.add((double) rows);
        for (Column c : columns) {
            numbers.add((double) c.count());
            for (Double v : new Double[] {c.sum(), c.mean(), c.min(), c.max(), c.first(), c.last()}) {
                if (v != null) {
                    numbers.add(v);
                }
            }
            if (c.hasValues()) {
                numbers.add(c.max() - c.min());
                if (c.min() != 0) {
                    numbers.add(c.max() / c.min());
                }
                numbers.add((double) c.maxTies());
                numbers.add((double) c.minTies());
            }
            if (c.first() != null && c.last() != null) {
                numbers.add(c.last() - c.first());
            }
        }
        return numbers;
    }

    /** The row labels and column names these facts state. */
    List<String> labels() {
        List<String> labels = new ArrayList<>();
        for (Column c : columns) {
            for (String label : new String[] {c.name(), c.minLabel(), c.maxLabel(), c.firstLabel(), c.lastLabel()}) {
                if (label != null) {
                    labels.add(label);
                }
            }
        }
        return labels;
    }

    /** Every percentage these facts state: shares of the highest and lowest in the total, change first to last. */
    List<Double> percents() {
        List<Double> percents = new ArrayList<>();
        for (Column c : columns) {
            if (c.hasValues() && c.sum() != null && c.sum() != 0) {
                percents.add(c.max() / c.sum() * 100);
                percents.add(c.min() / c.sum() * 100);
            }
            if (c.first() != null && c.last() != null && c.first() != 0) {
                percents.add((c.last() - c.first()) / Math.abs(c.first()) * 100);
            }
            if (c.hasValues() && c.min() != 0) {
                percents.add((c.max() - c.min()) / Math.abs(c.min()) * 100);
            }
        }
        return percents;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Double number(JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : null;
    }
}
