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
        String what = switch (plan.task()) {
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
            default -> "Result";
        };
        return what + conditions(plan.filters());
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
