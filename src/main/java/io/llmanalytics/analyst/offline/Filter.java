package io.llmanalytics.analyst.offline;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One condition on rows.
 *
 * @param column the column tested; null for {@link Op#LOOKUP} (the code finds the text column holding the value)
 * @param op the test
 * @param texts the text operands ({@code EQ}, {@code NE}, {@code IN}, {@code NOT_IN}, {@code CONTAINS}, {@code STARTS},
 *        {@code ENDS}, {@code LOOKUP}) and dates ({@code PERIOD}: {@code 2024}, {@code 2024-03}, {@code 2024-03-15};
 *        comparisons of date columns: an ISO date)
 * @param numbers the number operands (comparisons, {@code BETWEEN}, {@code EQ} on numeric columns, {@code MONTH})
 */
@RegisterForReflection
record Filter(String column, Op op, List<String> texts, List<Double> numbers) {

    enum Op {
        EQ,
        NE,
        IN,
        NOT_IN,
        GT,
        GE,
        LT,
        LE,
        BETWEEN,
        CONTAINS,
        STARTS,
        ENDS,
        /** A yes/no column is yes. */
        YES,
        /** A yes/no column is no. */
        NO,
        /** A date column falls in a year, month or day ({@code texts[0]}). */
        PERIOD,
        /** A date column falls in a month of any year ({@code numbers[0]}, 1..12). */
        MONTH,
        /** A date column falls in a quarter ({@code numbers[0]}, 1..4), of a year when {@code numbers[1]} is given. */
        QUARTER,
        /** Some text column holds the value (case-insensitive); the column is found when the code runs. */
        LOOKUP
    }

    Filter {
        texts = texts == null ? List.of() : List.copyOf(texts);
        numbers = numbers == null ? List.of() : List.copyOf(numbers);
    }

    static Filter text(String column, Op op, List<String> texts) {
        return new Filter(column, op, texts, List.of());
    }

    static Filter number(String column, Op op, List<Double> numbers) {
        return new Filter(column, op, List.of(), numbers);
    }

    static Filter flag(String column, boolean yes) {
        return new Filter(column, yes ? Op.YES : Op.NO, List.of(), List.of());
    }
}
