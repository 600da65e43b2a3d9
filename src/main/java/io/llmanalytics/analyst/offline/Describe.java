package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.Numbers;
import io.llmanalytics.analyst.offline.Plan.Agg;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Plans and values in words, for chart titles and explanations. */
final class Describe {

    private Describe() {}

    /** What was computed, e.g. "Total revenue by category where region is North". */
    static String subject(Plan plan) {
        return what(plan) + conditions(plan.scope().filters());
    }

    /**
     * The reading the code executes, in plain words, e.g. "Total revenue · region is East, and region is West · side by
     * side": what is computed, how it is grouped or ranked, each condition (those a follow-up carried over said so),
     * and any column computed or brought in from another dataset.
     */
    static String reading(Plan plan) {
        Plan.Scope scope = plan.scope();
        List<String> parts = new ArrayList<>();
        parts.add(what(plan));
        if (scope.measured() != null) {
            parts.add(name(scope.measured()) + " = "
                    + scope.derived().stream().map(Describe::name).collect(Collectors.joining(" × ")));
        }
        if (scope.join() != null) {
            Plan.Join join = scope.join();
            parts.add(String.join(
                            ", ", join.columns().stream().map(Describe::name).toList()) + " from "
                    + join.dataset() + ", joined on " + name(join.leftKey())
                    + (join.leftKey().equals(join.rightKey()) ? "" : " = " + name(join.rightKey())));
        }
        String ranked = switch (plan) {
            case Plan.Count c -> ranked(c.rank());
            case Plan.Aggregate a -> a.per() == null ? ranked(a.rank()) : "over each " + name(a.per()) + "'s total";
            case Plan.TopRows t -> ranked(t.rank());
            case Plan.Trend t -> ranked(t.rank());
            case Plan.Correlations c -> c.limit() == null ? null : "highest " + c.limit();
            case Plan.Share s -> null;
            case Plan.Values v -> null;
            case Plan.Columns c -> null;
            case Plan.Shape s -> null;
            case Plan.Missing m -> null;
            case Plan.Summary s -> null;
            case Plan.Correlation c -> null;
            case Plan.Distribution d -> null;
            case Plan.Outliers o -> null;
            case Plan.Head h -> null;
            case Plan.Value v -> null;
            case Plan.Compare c -> null;
        };
        if (ranked != null) {
            parts.add(ranked);
        }
        for (Filter f : scope.filters()) {
            String c = f.op() == Filter.Op.LOOKUP
                    ? "a text column holds " + quoted(f.texts().get(0))
                    : condition(f);
            parts.add(scope.inherited().contains(f) ? c + " (kept from the previous question)" : c);
        }
        if (plan instanceof Plan.Compare compare) {
            parts.add(compare.sides().stream().map(Describe::condition).collect(Collectors.joining(", and ")));
            parts.add("side by side" + (compare.sides().size() == 2 ? ", with their difference and ratio" : ""));
        }
        if (scope.chart() != Plan.Chart.NONE) {
            parts.add(scope.chart().name().toLowerCase(Locale.ROOT) + " chart");
        }
        return String.join(" · ", parts);
    }

    private static String ranked(Plan.Rank rank) {
        return rank == null ? null : (rank.ascending() ? "lowest " : "highest ") + rank.limit();
    }

    private static String what(Plan plan) {
        return switch (plan) {
            case Plan.Count c -> "Number of " + rows(c) + by(c.groupBy());
            case Plan.Aggregate a -> capital(measure(a.agg(), a.column())) + by(a.groupBy());
            case Plan.TopRows t -> (t.rank().ascending() ? "Lowest " : "Highest ") + name(t.column());
            case Plan.Share s -> "Share of " + (s.column() == null ? rows(s) : name(s.column())) + by(s.groupBy());
            case Plan.Values v -> "Values of " + name(v.column());
            case Plan.Trend t ->
                capital(t.column() == null ? "number of " + rows(t) : measure(t.agg(), t.column())) + " per "
                        + t.grain().noun();
            case Plan.Distribution d -> "Distribution of " + name(d.column());
            case Plan.Correlation c -> name(c.column()) + " and " + name(c.other());
            case Plan.Correlations c ->
                "Strongest correlations" + (c.column() == null ? "" : " with " + name(c.column()));
            case Plan.Missing m -> "Missing values";
            case Plan.Compare c -> capital(compared(c));
            case Plan.Value v -> "Value of " + name(v.column());
            case Plan.Columns c -> "Columns and their types";
            case Plan.Shape s -> "Number of rows and columns";
            case Plan.Summary s -> "Summary statistics" + (s.column() == null ? "" : " of " + name(s.column()));
            case Plan.Outliers o -> "Outliers of " + name(o.column()) + " (beyond 1.5 interquartile ranges)";
            case Plan.Head h -> (h.first() ? "First " : "Last ") + h.limit() + " rows";
        };
    }

    /** What each side of a comparison gives: "share of rows where smoker is yes", "number of rows", "total revenue". */
    static String compared(Plan.Compare c) {
        return c.condition() != null
                ? "share of " + rows(c) + " where " + condition(c.condition())
                : c.column() == null || c.agg() == Agg.COUNT ? "number of " + rows(c) : measure(c.agg(), c.column());
    }

    /** "total revenue", "average Fare", "number of distinct product". */
    static String measure(Agg agg, String column) {
        if (agg == Agg.SUM && column != null && Words.nameWords(column).contains("total")) {
            return "sum of " + name(column); // not "total total_votes"
        }
        return (agg == null ? "" : agg.words() + " ") + name(column);
    }

    static String rows(Plan plan) {
        String entity = plan.scope().entity();
        return entity == null ? "rows" : entity.toLowerCase(Locale.ROOT);
    }

    private static String by(List<String> groupBy) {
        return groupBy.isEmpty()
                ? ""
                : " by " + groupBy.stream().map(Describe::name).collect(Collectors.joining(" and "));
    }

    /** " for Laptop in 2024 where Sex is female and Fare is over 100", or "". */
    static String conditions(List<Filter> filters) {
        return conditions(filters, false);
    }

    /**
     * The conditions; with {@code coded}, their numbers in code spans, for texts that must not present the numbers
     * of a condition as figures of the result.
     */
    static String conditions(List<Filter> filters, boolean coded) {
        String text = conditions0(filters);
        return coded ? text.replaceAll("(?<![\\w`.-])(-?\\d+(?:\\.\\d+)?)(?![\\w`.-])", "`$1`") : text;
    }

    private static String conditions0(List<Filter> filters) {
        StringBuilder out = new StringBuilder();
        filters.stream()
                .filter(f -> f.op() == Filter.Op.LOOKUP)
                .forEach(f -> out.append(" for ").append(quoted(f.texts().get(0))));
        filters.stream()
                .filter(f -> f.op() == Filter.Op.PERIOD)
                .forEach(f -> out.append(" in ").append(period(f.texts().get(0))));
        List<Filter> others = filters.stream()
                .filter(f -> f.op() != Filter.Op.LOOKUP && f.op() != Filter.Op.PERIOD)
                .toList();
        if (!others.isEmpty()) {
            out.append(" where ")
                    .append(others.stream().map(Describe::condition).collect(Collectors.joining(" and ")));
        }
        return out.toString();
    }

    /** A year as is (the question has it), a month or day in backticks (its digits are not result figures). */
    private static String period(String period) {
        return period.length() == 4 ? period : "`" + period + "`";
    }

    static String condition(Filter f) {
        String c = f.column() == null ? "" : name(f.column());
        return switch (f.op()) {
            case EQ -> c + " is " + operand(f, 0);
            case NE -> c + " is not " + operand(f, 0);
            case IN -> c + " is " + texts(f, " or ");
            case NOT_IN -> c + " is neither " + texts(f, " nor ");
            case GT -> c + (f.texts().isEmpty() ? " is over " : " is after ") + operand(f, 0);
            case GE -> c + (f.texts().isEmpty() ? " is at least " : " is on or after ") + operand(f, 0);
            case LT -> c + (f.texts().isEmpty() ? " is under " : " is before ") + operand(f, 0);
            case LE -> c + " is at most " + operand(f, 0);
            case BETWEEN ->
                c + " is between " + value(f.numbers().get(0)) + " and "
                        + value(f.numbers().get(1));
            case CONTAINS -> c + " contains " + quoted(f.texts().get(0));
            case STARTS -> c + " starts with " + quoted(f.texts().get(0));
            case ENDS -> c + " ends with " + quoted(f.texts().get(0));
            case YES -> c + " is yes";
            case NO -> c + " is no";
            case PERIOD -> c + " is in " + period(f.texts().get(0));
            case MONTH ->
                c + " is in " + Month.of(f.numbers().get(0).intValue()).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case LOOKUP -> "a value is " + quoted(f.texts().get(0));
            case QUARTER ->
                c + " is in Q" + f.numbers().get(0).intValue()
                        + (f.numbers().size() > 1 ? " " + value(f.numbers().get(1)) : "");
        };
    }

    private static String operand(Filter f, int i) {
        return f.texts().isEmpty()
                ? value(f.numbers().get(i))
                : quoted(f.texts().get(i));
    }

    private static String texts(Filter f, String joint) {
        if (f.texts().isEmpty()) {
            return f.numbers().stream().map(Describe::value).collect(Collectors.joining(joint));
        }
        return f.texts().stream().map(Describe::quoted).collect(Collectors.joining(joint));
    }

    /** A column name; in backticks when it holds digits, so its digits are not read as figures. */
    static String name(String column) {
        return column != null && column.matches(".*\\d.*") ? "`" + column.replace("`", "'") + "`" : column;
    }

    /** A data value in text: in backticks when it holds digits. */
    static String quoted(String value) {
        return value.matches(".*\\d.*") ? "`" + value.replace("`", "'") + "`" : value;
    }

    /** A number given in the question (a threshold): written as it was. */
    static String value(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A number for people: {@link Numbers#number(double)}, the rule every analyst writes numbers by. */
    static String number(double v) {
        return Numbers.number(v);
    }

    /** A percentage for people: {@link Numbers#percent(double)}. */
    static String percent(double v) {
        return Numbers.percent(v);
    }

    static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
