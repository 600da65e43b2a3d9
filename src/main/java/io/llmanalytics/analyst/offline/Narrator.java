package io.llmanalytics.analyst.offline;

import static io.llmanalytics.analyst.offline.Describe.capital;
import static io.llmanalytics.analyst.offline.Describe.name;
import static io.llmanalytics.analyst.offline.Describe.number;
import static io.llmanalytics.analyst.offline.Describe.percent;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.FallbackInterpretation;
import io.llmanalytics.analyst.GroundingChecker;
import io.llmanalytics.analyst.ResultSummary;
import io.llmanalytics.analyst.offline.Plan.Agg;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Explains an executed result in one to three sentences built from the result itself: the value, the largest and
 * smallest group and the largest group's share, the total, the direction of a trend. Each sentence is kept only if
 * {@link GroundingChecker} finds every number it states in the result, so the explanation never states a number the
 * code did not compute.
 */
final class Narrator {

    /** A labelled number of a series result. */
    record Entry(String label, double value) {}

    /** Separates a sentence from a plainer one to use when the first states a number the checker cannot trace. */
    private static final String ALTERNATIVE = "\u0001";

    private Narrator() {}

    static String explain(Plan plan, JsonNode result, String question) {
        return explain(plan, result, null, question);
    }

    /**
     * @param whole the worker's facts of the whole result (highest, lowest, first, last, total and count over every
     *        row); the sample in {@code result} is used for them only when the result was not cut, or there are none
     */
    static String explain(Plan plan, JsonNode result, ResultSummary whole, String question) {
        List<List<String>> sentences = new ArrayList<>();
        try {
            for (String s : sentences(plan, Whole.of(result, whole))) {
                sentences.add(List.of(s.split(ALTERNATIVE)));
            }
        } catch (RuntimeException e) {
            sentences.clear(); // an unexpected result shape: described generically below
        }
        if (plan.scope().chart() != Plan.Chart.NONE) {
            String subject = Describe.subject(plan);
            sentences.add(List.of(
                    "The chart shows the " + Character.toLowerCase(subject.charAt(0)) + subject.substring(1) + "."));
        }
        String plain = Describe.conditions(plan.scope().filters());
        String coded = Describe.conditions(plan.scope().filters(), true);
        List<String> kept = new ArrayList<>();
        for (List<String> options : sentences) {
            List<String> all = new ArrayList<>(options);
            if (!plain.equals(coded)) {
                // "where Pclass is 2" when the question said "second class": the 2 is the question's, not the result's
                options.forEach(s -> all.add(s.replace(plain, coded)));
            }
            for (String s : all) {
                if (kept.size() < 3
                        && GroundingChecker.check(s, result, whole, question).ok()) {
                    kept.add(s);
                    break;
                }
            }
        }
        if (kept.isEmpty()) {
            kept.add(FallbackInterpretation.describe(result, whole));
        }
        if (!plan.scope().inherited().isEmpty()) {
            kept.add("As in the previous question, this is only for rows"
                    + Describe.conditions(plan.scope().inherited(), true) + ".");
        }
        return String.join(" ", kept);
    }

    private static List<String> sentences(Plan plan, Whole w) {
        JsonNode r = w.result();
        String where = Describe.conditions(plan.scope().filters());
        return switch (plan) {
            case Plan.Count c ->
                c.groupBy().isEmpty()
                        ? List.of("There are " + number(r.asDouble()) + " " + Describe.rows(c) + where + ".")
                        : groups(c, c.groupBy(), c.rank(), w, "the most " + Describe.rows(c), "the fewest", true, null);
            case Plan.Aggregate a ->
                a.groupBy().isEmpty()
                        ? List.of("The " + Describe.measure(a.agg(), a.column()) + where + " is " + scalar(r) + ".")
                        : groups(
                                a,
                                a.groupBy(),
                                a.rank(),
                                w,
                                "the highest " + Describe.measure(a.agg(), a.column()),
                                "the lowest",
                                a.agg() == Agg.SUM || a.agg() == Agg.COUNT,
                                Describe.measure(a.agg(), a.column()));
            case Plan.TopRows t -> topRows(t, r);
            case Plan.Share s -> share(s, r, where);
            case Plan.Values v -> values(v.column(), r);
            case Plan.Columns c ->
                List.of("The data has " + number(r.path("length").asDouble()) + " columns: "
                        + listed(entries(r), 8, false) + ".");
            case Plan.Shape s ->
                List.of("The data has " + number(r.path("rows").asDouble()) + " rows and "
                        + number(r.path("columns").asDouble()) + " columns.");
            case Plan.Missing m -> missing(m, r);
            case Plan.Summary s -> describe(s.column(), w);
            case Plan.Distribution d -> describe(d.column(), w);
            case Plan.Correlation c -> correlation(c, r);
            case Plan.Correlations c -> correlations(c, r);
            case Plan.Trend t -> trend(t, w);
            case Plan.Outliers o -> outliers(o, r);
            case Plan.Value v ->
                r.isNumber() || r.isTextual()
                        ? List.of("The " + name(v.column()) + where + " is " + cell(r) + ".")
                        : values(v.column(), w, where);
            case Plan.Head h ->
                List.of("Here are the " + (h.first() ? "first " : "last ")
                        + number(r.path("data").size()) + " rows" + where + ".");
            case Plan.Compare c -> compare(c, r, where);
        };
    }

    /** "The total revenue is 11,132,991 for East and 10,768,958 for West: East's is higher by 364,033 (1.03 times)." */
    private static List<String> compare(Plan.Compare plan, JsonNode r, String where) {
        List<Entry> entries = entries(r);
        int n = plan.sides().size();
        List<Entry> sides = entries.subList(0, Math.min(n, entries.size()));
        String what = Describe.compared(plan) + (plan.condition() != null ? " (%)" : "");
        List<String> parts = new ArrayList<>();
        for (Entry e : sides) {
            parts.add(number(e.value()) + " for " + Describe.quoted(e.label()));
        }
        List<String> out = new ArrayList<>();
        out.add("The " + what + where + " is " + String.join(parts.size() == 2 ? " and " : ", ", parts) + ".");
        if (n == 2 && entries.size() > 2 && entries.get(2).label().equals("difference")) {
            double diff = entries.get(2).value();
            Entry a = sides.get(0);
            Entry b = sides.get(1);
            if (diff == 0) {
                out.add("The two are equal.");
            } else {
                Entry higher = diff > 0 ? a : b;
                Entry lower = diff > 0 ? b : a;
                String ratio = entries.size() > 3 && entries.get(3).label().equals("ratio")
                        ? " ("
                                + number(
                                        diff > 0
                                                ? entries.get(3).value()
                                                : 1 / entries.get(3).value()) + " times)"
                        : "";
                out.add(capital(Describe.quoted(higher.label())) + " is higher than " + Describe.quoted(lower.label())
                        + " by " + number(Math.abs(diff)) + ratio + "." + ALTERNATIVE
                        + capital(Describe.quoted(higher.label())) + " is higher than "
                        + Describe.quoted(lower.label()) + " by " + number(Math.abs(diff)) + ".");
            }
        }
        return out;
    }

    private static String scalar(JsonNode r) {
        return r.isNumber() ? number(r.asDouble()) : r.isNull() ? "not available (no matching values)" : r.asText();
    }

    /** Group labels people can read: "Pclass 1" rather than "1", "smoker = yes" rather than "yes". */
    private static List<Entry> labelled(List<String> groupBy, List<Entry> entries) {
        if (groupBy.size() != 1) {
            return entries;
        }
        String column = name(groupBy.get(0));
        return entries.stream()
                .map(e -> {
                    String label = e.label();
                    if (label.matches("-?\\d+(\\.\\d+)?")) {
                        label = column + " " + label;
                    } else if (label.matches("(?i)yes|no|true|false|y|n")) {
                        label = column + " = " + label;
                    }
                    return new Entry(label, e.value());
                })
                .toList();
    }

    /**
     * @param measure what an {@link Plan.Aggregate} computes ("total revenue"); null for a count of rows
     */
    private static List<String> groups(
            Plan plan,
            List<String> groupBy,
            Plan.Rank rank,
            Whole w,
            String most,
            String least,
            boolean additive,
            String measure) {
        JsonNode r = w.result();
        List<Entry> entries = labelled(groupBy, entries(r));
        if (entries.isEmpty()) {
            return List.of("No rows match" + Describe.conditions(plan.scope().filters()) + ".");
        }
        List<String> out = new ArrayList<>();
        Entry top = labelled(groupBy, w.max(entries));
        Entry bottom = labelled(groupBy, w.min(entries));
        if (rank != null) {
            String ranked = !rank.ascending()
                    ? most
                    : measure != null
                            ? least.replace("the lowest", "the lowest " + measure)
                            : least.replace("the fewest", "the fewest " + Describe.rows(plan));
            Entry first = entries.get(0);
            if (entries.size() == 1) {
                out.add(capital(first.label()) + " has " + ranked + ": " + number(first.value()) + ".");
            } else if (entries.stream().allMatch(e -> e.value() == first.value())) {
                out.add(capital(listed(entries, 5, false)) + " are tied with " + ranked + ": " + number(first.value())
                        + ".");
            } else {
                out.add("The " + entries.size() + " with " + ranked
                        + (entries.size() > rank.limit() ? " (ties included)" : "") + " are " + listed(entries, 5, true)
                        + ".");
            }
            return out;
        }
        long groups = w.count(entries);
        long topTies = w.maxTies(entries);
        long bottomTies = w.minTies(entries);
        if (groups > 1 && topTies >= groups) {
            // every group has the same value: none is the highest or the lowest
            out.add("All " + groups + " groups have the same value (" + number(top.value()) + ")." + ALTERNATIVE
                    + "Every group has the same value (" + number(top.value()) + ").");
            return out;
        }
        List<String> variants = new ArrayList<>();
        for (boolean counted : new boolean[] {true, false}) {
            // with the number of tied groups, else (when it cannot be traced) without it
            String high = topTies > 1
                    ? (counted ? topTies + " groups" : "Several groups") + " share " + most + " (" + number(top.value())
                            + "), " + top.label() + " among them"
                    : capital(top.label()) + " has " + most + " (" + number(top.value()) + ")";
            String low = bottomTies > 1
                    ? (counted ? String.valueOf(bottomTies) : "several") + " share " + least + " ("
                            + number(bottom.value()) + ")"
                    : bottom.label() + " " + least + " (" + number(bottom.value()) + ")";
            variants.add(
                    high + (groups > 1 ? (topTies > 1 ? "; " : " and ") + low : "") + " among " + groups + " groups.");
        }
        out.add(
                variants.get(0).equals(variants.get(1))
                        ? variants.get(0)
                        : variants.get(0) + ALTERNATIVE + variants.get(1));
        if (additive && w.total(entries) != null && groups > 1) {
            double total = w.total(entries);
            if (total > 0 && top.value() >= 0) {
                out.add(capital(top.label()) + " accounts for " + percent(top.value() / total * 100)
                        + " of the total of " + number(total) + ".");
            }
        }
        return out;
    }

    private static List<String> topRows(Plan.TopRows plan, JsonNode r) {
        JsonNode rows = r.path("data");
        if (rows.isEmpty()) {
            return List.of("No rows match" + Describe.conditions(plan.scope().filters()) + ".");
        }
        String column = plan.column();
        String label = label(plan, rows.get(0));
        JsonNode first = rows.get(0).path(column);
        String which = plan.rank().ascending() ? "lowest" : "highest";
        if (rows.size() == 1) {
            return List.of("The " + which + " " + name(column) + " is " + cell(first)
                    + (label == null ? "" : ", for " + label) + ".");
        }
        boolean tied = true;
        List<String> labels = new ArrayList<>();
        for (JsonNode row : rows) {
            tied &= row.path(column).equals(first);
            String l = label(plan, row);
            if (l != null && labels.size() < 5) {
                labels.add(l);
            }
        }
        if (tied && plan.rank().limit() == 1) {
            return List.of("The " + which + " " + name(column) + " is " + cell(first) + ", shared by " + rows.size()
                    + " rows" + (labels.isEmpty() ? "" : ": " + String.join("; ", labels)) + ".");
        }
        JsonNode last = rows.get(rows.size() - 1).path(column);
        return List.of("The " + rows.size() + " rows with the " + which + " " + name(column) + " range from "
                + cell(first) + (label == null ? "" : " (" + label + ")") + " to " + cell(last) + ".");
    }

    /** The text that names a row: the ranked group column, else a column called a name or title. */
    private static String label(Plan.TopRows plan, JsonNode row) {
        if (plan.label() != null && row.path(plan.label()).isTextual()) {
            return row.path(plan.label()).asText();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> cell = it.next();
            List<String> words = Words.nameWords(cell.getKey());
            if ((words.contains("name") || words.contains("title"))
                    && cell.getValue().isTextual()
                    && cell.getValue().asText().length() <= 80) {
                return cell.getValue().asText();
            }
        }
        return null;
    }

    private static String cell(JsonNode v) {
        return v.isNumber() ? number(v.asDouble()) : Describe.quoted(v.asText());
    }

    private static List<String> share(Plan.Share plan, JsonNode r, String where) {
        String of = plan.column() == null ? Describe.rows(plan) : "the total " + name(plan.column());
        if (plan.groupBy().isEmpty()) {
            if (!r.isNumber()) {
                return List.of("No rows match" + where + ".");
            }
            String condition = Describe.condition(plan.condition());
            return List.of(
                    plan.column() == null
                            ? capital(condition) + " for " + percent(r.asDouble()) + " of the " + of + where + "."
                            : "Rows where " + condition + " account for " + percent(r.asDouble()) + " of " + of + where
                                    + ".");
        }
        List<Entry> entries = labelled(plan.groupBy(), entries(r));
        if (entries.isEmpty()) {
            return List.of("No rows match" + where + ".");
        }
        Entry top = max(entries);
        Entry bottom = min(entries);
        if (plan.condition() != null) {
            String c = Describe.condition(plan.condition());
            return List.of(capital(c) + " for " + percent(top.value()) + " of " + of + " in " + top.label()
                    + ", the highest, and " + percent(bottom.value()) + " in " + bottom.label() + ", the lowest.");
        }
        return List.of(capital(top.label()) + " has the largest share of " + of + " (" + percent(top.value()) + ")"
                + (entries.size() > 1
                        ? " and " + bottom.label() + " the smallest (" + percent(bottom.value()) + ")"
                        : "")
                + ".");
    }

    private static List<String> values(String column, JsonNode r) {
        List<Entry> entries = entries(r);
        long distinct = r.path("length").asLong(entries.size());
        return List.of(name(column) + " has " + number(distinct) + " distinct values; the most common are "
                + listed(entries, 5, true) + " rows.");
    }

    private static List<String> values(String column, Whole w, String where) {
        JsonNode r = w.result();
        List<Entry> entries = entries(r);
        if (entries.isEmpty()) {
            return List.of("No rows match" + where + ".");
        }
        return List.of(number(r.path("length").asDouble(entries.size())) + " rows match" + where + "; their "
                + name(column) + " goes from " + number(w.min(entries).value()) + " to "
                + number(w.max(entries).value()) + ".");
    }

    private static List<String> missing(Plan.Missing plan, JsonNode r) {
        if (plan.column() != null) {
            return List.of(name(plan.column()) + " has " + number(r.asDouble()) + " missing values"
                    + Describe.conditions(plan.scope().filters()) + ".");
        }
        List<Entry> missing = entries(r).stream().filter(e -> e.value() > 0).toList();
        if (missing.isEmpty()) {
            return List.of("No column has missing values.");
        }
        return List.of("Columns with missing values: " + listed(missing, 8, true) + "; the others have none.");
    }

    private static List<String> describe(String described, Whole w) {
        JsonNode r = w.result();
        if (!"series".equals(r.path("type").asText())) {
            if ("dataframe".equals(r.path("type").asText())) {
                return List.of("Summary statistics (count, mean, spread, quartiles) of the "
                        + number(r.path("shape").path(1).asDouble()) + " numeric columns.");
            }
            return List.of();
        }
        JsonNode d = r.path("data");
        String column = name(described);
        if (d.has("mean")) {
            List<String> out = new ArrayList<>();
            out.add(capital(column) + " averages " + number(d.path("mean").asDouble()) + " (median "
                    + number(d.path("50%").asDouble()) + ") over "
                    + number(d.path("count").asDouble()) + " values.");
            out.add("It ranges from " + number(d.path("min").asDouble()) + " to "
                    + number(d.path("max").asDouble())
                    + ", with half of the values between "
                    + number(d.path("25%").asDouble()) + " and "
                    + number(d.path("75%").asDouble()) + ".");
            return out;
        }
        if (d.has("top")) {
            return List.of(capital(column) + " has " + number(d.path("unique").asDouble()) + " distinct values among "
                    + number(d.path("count").asDouble()) + "; the most common is "
                    + Describe.quoted(d.path("top").asText())
                    + " (" + number(d.path("freq").asDouble()) + " rows).");
        }
        List<Entry> entries = entries(r);
        Entry top = w.max(entries);
        List<String> out = new ArrayList<>();
        out.add("The most common " + column + " is " + top.label() + " (" + number(top.value()) + " rows) among "
                + w.count(entries) + " values.");
        if (w.total(entries) != null) {
            double total = w.total(entries);
            out.add("That is " + percent(top.value() / total * 100) + " of the " + number(total) + " rows.");
        }
        return out;
    }

    private static List<String> correlation(Plan.Correlation plan, JsonNode r) {
        if (!r.isNumber()) {
            return List.of("The correlation cannot be computed (too few values).");
        }
        double v = r.asDouble();
        return List.of("The correlation between " + name(plan.column()) + " and " + name(plan.other()) + " is "
                + number(v) + ": " + strength(v) + ".");
    }

    private static String strength(double r) {
        double a = Math.abs(r);
        String s = a < 0.1 ? "practically no" : a < 0.3 ? "a weak" : a < 0.7 ? "a moderate" : "a strong";
        return s + (a < 0.1 ? " linear relationship" : r > 0 ? " positive relationship" : " negative relationship");
    }

    private static List<String> correlations(Plan.Correlations plan, JsonNode r) {
        List<Entry> entries = entries(r);
        if (entries.isEmpty()) {
            return List.of("There are not enough numeric columns to correlate.");
        }
        List<String> parts = new ArrayList<>();
        for (Entry e : entries.subList(0, Math.min(3, entries.size()))) {
            parts.add(e.label().replace("(", "").replace(")", "").replace(", ", " and ") + " (" + number(e.value())
                    + ")");
        }
        return List.of(
                plan.column() == null
                        ? "The strongest correlations are between " + String.join("; ", parts) + "."
                        : capital(name(plan.column())) + " correlates most with " + String.join("; ", parts) + ".");
    }

    private static List<String> trend(Plan.Trend plan, Whole w) {
        List<Entry> entries = entries(w.result());
        if (entries.isEmpty()) {
            return List.of("No rows match" + Describe.conditions(plan.scope().filters()) + ".");
        }
        String what = plan.column() == null
                ? "the number of " + Describe.rows(plan)
                : "the " + Describe.measure(plan.agg(), plan.column());
        if (plan.rank() != null) {
            Entry first = entries.get(0);
            String which = plan.rank().ascending() ? "the lowest " : "the highest ";
            if (entries.size() > 1) {
                return List.of(
                        capital(listed(entries, 5, true)) + " had " + which + what.replaceFirst("^the ", "") + ".");
            }
            return List.of(capital(first.label()) + " had " + which + what.replaceFirst("^the ", "") + ": "
                    + number(first.value()) + ".");
        }
        List<String> out = new ArrayList<>();
        Entry first = w.first(entries);
        Entry last = w.last(entries);
        if (w.count(entries) > 1 && w.knowsLast()) {
            String direction = last.value() > first.value() ? "rose" : last.value() < first.value() ? "fell" : "stayed";
            String change = first.value() != 0 && last.value() != first.value()
                    ? " (" + (last.value() > first.value() ? "+" : "")
                            + percent((last.value() - first.value()) / Math.abs(first.value()) * 100) + ")"
                    : "";
            String sentence = capital(what) + " per " + plan.grain().noun() + " " + direction + " from "
                    + number(first.value()) + " in " + first.label() + " to " + number(last.value())
                    + " in " + last.label();
            out.add(sentence + change + "." + ALTERNATIVE + sentence + ".");
        }
        Entry top = w.max(entries);
        Entry bottom = w.min(entries);
        out.add("The highest was " + top.label() + " (" + number(top.value()) + ") and the lowest " + bottom.label()
                + " (" + number(bottom.value()) + ").");
        return out;
    }

    private static List<String> outliers(Plan.Outliers plan, JsonNode r) {
        double count = r.path("count").asDouble();
        String column = name(plan.column());
        List<String> out = new ArrayList<>();
        out.add(number(count) + " values of " + column + " are outliers: outside "
                + number(r.path("lower_bound").asDouble()) + " to "
                + number(r.path("upper_bound").asDouble()) + " (the interquartile-range rule).");
        if (r.path("rows_checked").asDouble() > 0) {
            out.add("That is " + percent(count / r.path("rows_checked").asDouble() * 100) + " of the "
                    + number(r.path("rows_checked").asDouble()) + " values.");
        }
        return out;
    }

    private static Entry labelled(List<String> groupBy, Entry entry) {
        return labelled(groupBy, List.of(entry)).get(0);
    }

    /**
     * A result and the worker's facts of all of it: highest, lowest, first, last, total and count come from the facts
     * when the result was cut to a sample (or from the sample when it was not), never from a cut sample.
     */
    record Whole(JsonNode result, ResultSummary.Column column, long rows) {

        static Whole of(JsonNode result, ResultSummary summary) {
            ResultSummary.Column only = summary == null
                    ? null
                    : summary.column(
                                    result.path("name").isTextual()
                                            ? result.path("name").asText()
                                            : null)
                            .filter(ResultSummary.Column::hasValues)
                            .orElse(null);
            return new Whole(result, only, summary == null ? -1 : summary.rows());
        }

        private boolean cut() {
            return truncated(result);
        }

        Entry max(List<Entry> sample) {
            return column != null ? new Entry(column.maxLabel(), column.max()) : Narrator.max(sample);
        }

        Entry min(List<Entry> sample) {
            return column != null ? new Entry(column.minLabel(), column.min()) : Narrator.min(sample);
        }

        Entry first(List<Entry> sample) {
            return column != null && column.first() != null
                    ? new Entry(column.firstLabel(), column.first())
                    : sample.get(0);
        }

        /** The last entry of the whole result; of a cut sample without facts, the last one shown (labelled so). */
        Entry last(List<Entry> sample) {
            return column != null && column.last() != null
                    ? new Entry(column.lastLabel(), column.last())
                    : sample.get(sample.size() - 1);
        }

        /** Whether the last value of the whole result is known (the facts, or a sample that was not cut). */
        boolean knowsLast() {
            return column != null && column.last() != null || !cut();
        }

        /** How many entries have the highest value: from the whole result's facts, else from an uncut sample. */
        long maxTies(List<Entry> sample) {
            return ties(column != null ? column.maxTies() : -1, Narrator.max(sample), sample);
        }

        /** How many entries have the lowest value. */
        long minTies(List<Entry> sample) {
            return ties(column != null ? column.minTies() : -1, Narrator.min(sample), sample);
        }

        private long ties(long known, Entry extreme, List<Entry> sample) {
            if (known >= 1) {
                return known;
            }
            if (cut() || extreme == null) {
                return 1; // a cut sample without facts cannot tell
            }
            return sample.stream().filter(e -> e.value() == extreme.value()).count();
        }

        long count(List<Entry> sample) {
            return rows >= 0 ? rows : cut() ? result.path("length").asLong(sample.size()) : sample.size();
        }

        /** The total of every value, or null when only a cut sample is known. */
        Double total(List<Entry> sample) {
            if (column != null && column.sum() != null) {
                return column.sum();
            }
            return cut() ? null : sample.stream().mapToDouble(Entry::value).sum();
        }
    }

    /** The labelled numbers of a series (or a dict), in result order. */
    static List<Entry> entries(JsonNode r) {
        JsonNode data = "series".equals(r.path("type").asText()) ? r.path("data") : r;
        List<Entry> entries = new ArrayList<>();
        if (data.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                entries.add(new Entry(
                        e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN));
            }
        } else if (data.isArray()) {
            for (JsonNode pair : data) {
                if (pair.isArray() && pair.size() == 2) {
                    entries.add(new Entry(
                            pair.get(0).asText(),
                            pair.get(1).isNumber() ? pair.get(1).asDouble() : Double.NaN));
                }
            }
        }
        return entries;
    }

    private static boolean truncated(JsonNode r) {
        return r.path("truncated").asBoolean(false);
    }

    private static Entry max(List<Entry> entries) {
        Entry best = null;
        for (Entry e : entries) {
            if (!Double.isNaN(e.value()) && (best == null || e.value() > best.value())) {
                best = e;
            }
        }
        return best == null ? entries.get(0) : best;
    }

    private static Entry min(List<Entry> entries) {
        Entry best = null;
        for (Entry e : entries) {
            if (!Double.isNaN(e.value()) && (best == null || e.value() < best.value())) {
                best = e;
            }
        }
        return best == null ? entries.get(0) : best;
    }

    /** "a (12), b (10) and c (3)", at most {@code max}. */
    private static String listed(List<Entry> entries, int max, boolean withValues) {
        List<String> shown = new ArrayList<>();
        for (Entry e : entries.subList(0, Math.min(max, entries.size()))) {
            shown.add(
                    e.label() + (withValues ? " (" + (Double.isNaN(e.value()) ? "n/a" : number(e.value())) + ")" : ""));
        }
        String text = shown.size() > 1
                ? String.join(", ", shown.subList(0, shown.size() - 1)) + " and " + shown.get(shown.size() - 1)
                : String.join("", shown);
        return entries.size() > max ? text + " among others" : text;
    }
}
