package io.llmanalytics.analyst.offline;

import io.llmanalytics.python.PythonLiterals;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.ValueCount;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A column as the offline analyst sees it: its name split into words, its kind, and for yes/no columns the value that
 * means yes.
 *
 * @param name the exact column name
 * @param type its pandas type
 * @param words the folded, singular words of the name
 * @param truthy for a yes/no column, the Python literal of its "yes" value ({@code 1}, {@code True}, {@code 'Yes'});
 *        null otherwise
 * @param falsy for a yes/no column, the Python literal of its "no" value; null otherwise
 * @param distinct distinct values when known (text columns), else null
 * @param minDate the earliest date of a date column (ISO), else null
 * @param maxDate the latest date of a date column (ISO), else null
 * @param min the smallest value of a numeric column when profiled, else null
 * @param max the largest value of a numeric column when profiled, else null
 */
record Column(
        String name,
        PandasType type,
        List<String> words,
        String truthy,
        String falsy,
        Long distinct,
        String minDate,
        String maxDate,
        Double min,
        Double max) {

    private static final Set<String> YES = Set.of("yes", "y", "true", "t");
    private static final Set<String> NO = Set.of("no", "n", "false", "f");

    static Column of(ColumnSchema schema) {
        String truthy = null;
        String falsy = null;
        var profile = schema.profile();
        if (schema.type() == PandasType.BOOL) {
            truthy = "True";
            falsy = "False";
        } else if (schema.type() == PandasType.INT64
                && profile != null
                && profile.min() != null
                && profile.min() == 0
                && profile.max() != null
                && profile.max() == 1) {
            truthy = "1";
            falsy = "0";
        } else if (schema.type() == PandasType.OBJECT
                && profile != null
                && profile.distinct() != null
                && profile.distinct() == 2
                && profile.topValues() != null
                && profile.topValues().size() == 2) {
            for (ValueCount v : profile.topValues()) {
                String folded = Words.fold(v.value().strip());
                if (YES.contains(folded)) {
                    truthy = PythonLiterals.string(v.value());
                } else if (NO.contains(folded)) {
                    falsy = PythonLiterals.string(v.value());
                }
            }
            if (truthy == null || falsy == null) {
                truthy = null;
                falsy = null;
            }
        }
        Long distinct = profile == null || Boolean.TRUE.equals(profile.distinctEstimated()) ? null : profile.distinct();
        return new Column(
                schema.name(),
                schema.type(),
                Words.nameWords(schema.name()),
                truthy,
                falsy,
                distinct,
                profile == null ? null : profile.minDate(),
                profile == null ? null : profile.maxDate(),
                profile == null ? null : profile.min(),
                profile == null ? null : profile.max());
    }

    boolean numeric() {
        return type.numeric();
    }

    boolean date() {
        return type == PandasType.DATETIME64;
    }

    boolean text() {
        return type == PandasType.OBJECT;
    }

    /** A column whose values mean yes or no (0/1, booleans, Yes/No). */
    boolean yesNo() {
        return truthy != null;
    }

    /** A numeric column that measures something (not a yes/no flag, not an identifier). */
    boolean measure() {
        return numeric() && !yesNo() && !identifier();
    }

    /** Whether the name says it identifies rows ({@code id}, {@code PassengerId}, {@code Unnamed: 0}). */
    boolean identifier() {
        String last = words.isEmpty() ? "" : words.get(words.size() - 1);
        return last.equals("id")
                || name.toLowerCase(Locale.ROOT).startsWith("unnamed")
                || words.equals(List.of("index"));
    }

    /** The words joined without separators, e.g. {@code passengerid}. */
    String joined() {
        return String.join("", words);
    }
}
