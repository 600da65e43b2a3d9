package io.llmanalytics.offline;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.llmanalytics.offline.Plan.Agg;

/** Plans and values in words, for chart titles and explanations. */
final class Describe {

    private Describe() {
    }

    /** What was computed, e.g. "Total revenue by category where region is North". */
    static String subject(Plan plan) {
        return what(plan) + conditions(plan.filters());
    }

    /**
     * The reading the code executes, in plain words, e.g. "Total revenue · region is East, and region is West · side by
     * side": what is computed, how it is grouped or ranked, each condition (those a follow-up carried over said so),
     * and any column computed or brought in from another dataset.
     */
    static String reading(Plan plan) {
        List<String> parts = new java.util.ArrayList<>();
        parts.add(what(plan));
        if (!plan.derived().isEmpty()) {
            parts.add(name(plan.column()) + " = " + plan.derived().stream().map(Describe::name)
                    .collect(Collectors.joining(" × ")));
        }
        if (plan.join() != null) {
            parts.add(String.join(", ", plan.join().columns().stream().map(Describe::name).toList()) + " from "
                    + plan.join().dataset() + ", joined on " + name(plan.join().leftKey())
                    + (plan.join().leftKey().equals(plan.join().rightKey()) ? "" : " = " + name(plan.join().rightKey())));
        }
        if (plan.task() == Plan.Task.AGGREGATE && plan.other() != null && plan.groupBy().isEmpty()) {
            parts.add("over each " + name(plan.other()) + "'s total");
        }
        if (plan.limit() != null && plan.task() != Plan.Task.HEAD) {
            parts.add((plan.ascending() ? "lowest " : "highest ") + plan.limit());
        }
        for (Filter f : plan.filters()) {
            String c = f.op() == Filter.Op.LOOKUP ? "a text column holds " + quoted(f.texts().get(0)) : condition(f);
            parts.add(plan.inherited().contains(f) ? c + " (kept from the previous question)" : c);
        }
        if (plan.task() == Plan.Task.COMPARE) {
            parts.add(plan.sides().stream().map(Describe::condition).collect(Collectors.joining(", and ")));
            parts.add("side by side" + (plan.sides().size() == 2 ? ", with their difference and ratio" : ""));
        }
        if (plan.chart() != Plan.Chart.NONE) {
            parts.add(plan.chart().name().toLowerCase(Locale.ROOT) + " chart");
        }
        return String.join(" · ", parts);
    }

    private static String what(Plan plan) {
        return switch (plan.task()) {
            case COUNT -> "Number of " + rows(plan) + by(plan);
            case AGGREGATE -> capital(measure(plan)) + by(plan);
            case TOP_ROWS -> (plan.ascending() ? "Lowest " : "Highest ") + name(plan.column());
            case SHARE -> "Share of " + (plan.column() == null ? rows(plan) : name(plan.column())) + by(plan);
            case VALUES -> "Values of " + name(plan.column());
            case TREND -> capital(plan.column() == null ? "number of " + rows(plan) : measure(plan)) + " per "
                    + plan.grain().noun();
            case DISTRIBUTION -> "Distribution of " + name(plan.column());
            case CORRELATION -> name(plan.column()) + " and " + name(plan.other());
            case CORRELATIONS -> "Strongest correlations" + (plan.column() == null ? "" : " with " + name(plan.column()));
            case MISSING -> "Missing values";
            case COMPARE -> capital(plan.condition() != null ? "share of " + rows(plan) + " where "
                    + condition(plan.condition())
                    : plan.column() == null || plan.agg() == Agg.COUNT ? "number of " + rows(plan) : measure(plan));
            case VALUE -> "Value of " + name(plan.column());
            case COLUMNS -> "Columns and their types";
            case SHAPE -> "Number of rows and columns";
            case DESCRIBE -> "Summary statistics" + (plan.column() == null ? "" : " of " + name(plan.column()));
            case OUTLIERS -> "Outliers of " + name(plan.column()) + " (beyond 1.5 interquartile ranges)";
            case HEAD -> (plan.ascending() ? "First " : "Last ") + plan.limit() + " rows";
        };
    }

    /** "total revenue", "average Fare", "number of distinct product". */
    static String measure(Plan plan) {
        Agg agg = plan.agg();
        if (agg == Agg.SUM && plan.column() != null && Words.nameWords(plan.column()).contains("total")) {
            return "sum of " + name(plan.column()); // not "total total_votes"
        }
        return (agg == null ? "" : agg.words() + " ") + name(plan.column());
    }

    static String rows(Plan plan) {
        return plan.entity() == null ? "rows" : plan.entity().toLowerCase(Locale.ROOT);
    }

    private static String by(Plan plan) {
        return plan.groupBy().isEmpty() ? "" : " by " + plan.groupBy().stream().map(Describe::name)
                .collect(Collectors.joining(" and "));
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
        filters.stream().filter(f -> f.op() == Filter.Op.LOOKUP)
                .forEach(f -> out.append(" for ").append(quoted(f.texts().get(0))));
        filters.stream().filter(f -> f.op() == Filter.Op.PERIOD)
                .forEach(f -> out.append(" in ").append(period(f.texts().get(0))));
        List<Filter> others = filters.stream().filter(f -> f.op() != Filter.Op.LOOKUP && f.op() != Filter.Op.PERIOD)
                .toList();
        if (!others.isEmpty()) {
            out.append(" where ").append(others.stream().map(Describe::condition).collect(Collectors.joining(" and ")));
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
            case BETWEEN -> c + " is between " + value(f.numbers().get(0)) + " and " + value(f.numbers().get(1));
            case CONTAINS -> c + " contains " + quoted(f.texts().get(0));
            case STARTS -> c + " starts with " + quoted(f.texts().get(0));
            case ENDS -> c + " ends with " + quoted(f.texts().get(0));
            case YES -> c + " is yes";
            case NO -> c + " is no";
            case PERIOD -> c + " is in " + period(f.texts().get(0));
            case MONTH -> c + " is in " + java.time.Month.of(f.numbers().get(0).intValue()).getDisplayName(
                    java.time.format.TextStyle.FULL, Locale.ENGLISH);
            case LOOKUP -> "a value is " + quoted(f.texts().get(0));
            case QUARTER -> c + " is in Q" + f.numbers().get(0).intValue()
                    + (f.numbers().size() > 1 ? " " + value(f.numbers().get(1)) : "");
        };
    }

    private static String operand(Filter f, int i) {
        return f.texts().isEmpty() ? value(f.numbers().get(i)) : quoted(f.texts().get(i));
    }

    private static String texts(Filter f, String joint) {
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

    /** A number for people: thousands separators, two decimals, three significant digits below one. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        if (Math.abs(v) < 1) {
            return new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros()
                    .toPlainString();
        }
        DecimalFormat format = new DecimalFormat(Math.abs(v) >= 10_000 ? "#,##0" : "#,##0.##",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(v);
    }

    /** A percentage for people: one decimal. */
    static String percent(double v) {
        DecimalFormat format = new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(v) + "%";
    }

    static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
