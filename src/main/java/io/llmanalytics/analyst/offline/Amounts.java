package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.Numbers;
import io.llmanalytics.analyst.offline.Plan.Agg;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sums only of amounts. A column holding rates, ratios, shares or percentages ({@code discount}, {@code tax_rate},
 * {@code per_dem}, {@code margin_pct}, or values within [0, 100] in a table named for percentages), or scores, indexes,
 * averages, ages or temperatures ({@code bmi}, {@code rating}, {@code avg_price}), is never added up as if it were an
 * amount: a plan that would sum one, by any path (a total, per-group totals, "how much", a comparison, a trend, a
 * share, each order's total before a median, a follow-up), is declined with the reason and questions that can be
 * answered instead. Averages, medians, minimums and maximums of them stay fine.
 */
final class Amounts {

    /** Words of column names that hold rates, ratios, shares or percentages. */
    private static final Set<String> RATE_WORDS = Set.of(
            "discount",
            "rate",
            "ratio",
            "pct",
            "percent",
            "percentage",
            "share",
            "proportion",
            "fraction",
            "per",
            "perc");

    /** Words of table names that say its numbers are percentages ("percent-bachelors-degrees-women-usa"). */
    private static final Set<String> PERCENT_TABLES = Set.of("percent", "percentage", "pct", "rate", "share", "ratio");
    /** Words of column names whose values are per-row levels that do not add up, with what they hold. */
    private static final Map<String, String> LEVEL_WORDS = Map.ofEntries(
            Map.entry("score", "scores"),
            Map.entry("rating", "ratings"),
            Map.entry("index", "index values"),
            Map.entry("bmi", "index values"),
            Map.entry("grade", "grades"),
            Map.entry("average", "averages"),
            Map.entry("avg", "averages"),
            Map.entry("mean", "averages"),
            Map.entry("median", "medians"),
            Map.entry("age", "ages"),
            Map.entry("temperature", "temperatures"),
            Map.entry("temp", "temperatures"));

    private Amounts() {}

    /** Whether the column holds rates: by a word of its name, or "margin" with values within [0, 1]. */
    static boolean rate(Column c) {
        if (!c.numeric() || c.yesNo()) {
            return false;
        }
        if (c.words().stream().anyMatch(RATE_WORDS::contains)) {
            return true;
        }
        return c.words().contains("margin") && c.min() != null && c.max() != null && c.min() >= -1 && c.max() <= 1;
    }

    /**
     * What the column holds when its values do not add up ("rates", "scores", "ages"...), or null for an amount. A
     * table named for percentages makes its columns within [0, 100] rates.
     */
    static String notAmounts(Column c, Lexicon lexicon) {
        if (!c.measure()) {
            return null;
        }
        if (rate(c)) {
            return "rates";
        }
        for (String w : c.words()) {
            if (LEVEL_WORDS.containsKey(w)) {
                return LEVEL_WORDS.get(w);
            }
        }
        boolean percentTable = Words.nameWords(lexicon.dataset()).stream().anyMatch(PERCENT_TABLES::contains);
        if (percentTable && c.min() != null && c.max() != null && c.min() >= 0 && c.max() <= 100) {
            return "percentages";
        }
        return null;
    }

    /**
     * The column the plan adds up (a total of it, or of each entity's rows when the entity has several rows), or null
     * when it sums none.
     */
    static String summed(Plan plan, Lexicon lexicon) {
        String column = switch (plan) {
            case Plan.Aggregate a -> a.agg() == Agg.SUM || several(a.per(), lexicon) ? a.column() : null;
            case Plan.Compare c ->
                c.agg() == Agg.SUM || several(c.per(), lexicon) && c.column() != null ? c.column() : null;
            case Plan.Trend t -> t.agg() == Agg.SUM ? t.column() : null;
            case Plan.Share s -> s.column();
            case Plan.Count c -> null;
            case Plan.TopRows t -> null;
            case Plan.Values v -> null;
            case Plan.Columns c -> null;
            case Plan.Shape s -> null;
            case Plan.Missing m -> null;
            case Plan.Summary s -> null;
            case Plan.Correlation c -> null;
            case Plan.Correlations c -> null;
            case Plan.Distribution d -> null;
            case Plan.Outliers o -> null;
            case Plan.Head h -> null;
            case Plan.Value v -> null;
        };
        // a computed column (price × stock) is an amount made of its factors, not one of them
        return column == null || column.equals(plan.scope().measured()) ? null : column;
    }

    /** Whether "per X" adds up several rows per X: false when X is unique per row (each total is one row). */
    private static boolean several(String per, Lexicon lexicon) {
        if (per == null) {
            return false;
        }
        Column c = lexicon.column(per).orElse(null);
        return c == null || c.distinct() == null || c.distinct() != lexicon.rows();
    }

    /**
     * The plan, when it adds up no rate; otherwise declined with the reason and, when {@code question} is given,
     * questions built from it that ask for the average (or median, minimum, maximum) instead.
     */
    static Plan check(Plan plan, Lexicon lexicon, String question) {
        String summed = summed(plan, lexicon);
        Column column = summed == null ? null : lexicon.column(summed).orElse(null);
        String holds = column == null ? null : notAmounts(column, lexicon);
        if (holds == null) {
            return plan;
        }
        String name = column.name();
        String range = column.min() != null && column.max() != null
                ? " (" + Numbers.number(column.min()) + "–" + Numbers.number(column.max()) + ")"
                : "";
        List<Column> money =
                lexicon.columns().stream().filter(Planner::additiveMoney).toList();
        String amount = money.size() == 1
                ? "e.g. " + money.get(0).name() + " × " + name
                : "an amount column multiplied by " + name;
        String words = String.join(" ", column.words());
        String reason = "'" + name + "' holds " + holds + range + ", so adding them up gives no total " + words + "; "
                + (holds.equals("rates") || holds.equals("percentages")
                        ? "a " + words + " amount needs " + amount + ", and "
                        : "")
                + "its average, median, minimum or maximum can be asked as is";
        throw new NotUnderstood(List.of(reason), List.of(), alternatives(question, name, lexicon));
    }

    /** The question asking for the average instead of the total, then the average and median of the column. */
    private static List<String> alternatives(String question, String column, Lexicon lexicon) {
        List<String> candidates = new ArrayList<>();
        if (question == null) {
            return List.of(); // checking a candidate: no alternatives of alternatives
        }
        {
            String average = question.replaceAll(
                            "(?i)\\b(?:the\\s+)?(?:total|sum\\s+of(?:\\s+the)?|sum|how\\s+much|overall)\\b", "average")
                    .replaceAll("(?i)\\baverage\\s+average\\b", "average")
                    .replaceAll("\\s+", " ")
                    .strip();
            if (!average.toLowerCase(Locale.ROOT).contains("average")) {
                average = "average " + average;
            }
            candidates.add(average);
        }
        candidates.add("average " + column);
        candidates.add("median " + column);
        candidates.add("maximum " + column);
        List<String> parsed = new ArrayList<>();
        for (String candidate : candidates) {
            if (!parsed.contains(candidate) && Suggestions.parses(lexicon, candidate)) {
                parsed.add(candidate);
            }
        }
        return parsed;
    }
}
