package io.llmanalytics.analyst.offline;

import static io.llmanalytics.python.PythonLiterals.string;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.plan.PlannedStep;
import io.llmanalytics.analyst.plan.StepOutcome;
import io.llmanalytics.analyst.plan.Synthesis;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The offline analyst's {@code explore} mode: a fixed plan built from the dataset's profile (the kinds the automatic
 * insights look for: shape and types, missing values, distributions of the main measures, the strongest
 * relationships, outliers, time coverage), each step real pandas code whose result is a small mapping, and the
 * synthesis written from those results only (every number it states is a value of a step's result).
 */
final class Explore {

    static final String SHAPE = "Shape and column types";
    static final String MISSING = "Missing values per column";
    static final String DISTRIBUTIONS = "Distributions of the main measures";
    static final String TEXT_VALUES = "Most frequent values of the main text columns";
    static final String RELATIONSHIPS = "Strongest relationships between the measures";
    static final String OUTLIERS = "Outliers of the main measures (interquartile-range rule)";
    static final String TIME = "Time coverage";
    private static final int MAX_MEASURES = 4;
    private static final int MAX_RELATED = 6;

    private Explore() {}

    /** The plan for {@code schema} (the default dataset, {@code df}): 3 to 6 steps, each with its code. */
    static List<PlannedStep> plan(DatasetSchema schema) {
        List<String> numeric = measures(schema);
        List<String> measures = numeric.stream().limit(MAX_MEASURES).toList();
        List<PlannedStep> steps = new ArrayList<>();
        steps.add(new PlannedStep(SHAPE, """
                result = {'rows': int(df.shape[0]), 'columns': int(df.shape[1]),
                          'numeric': int(df.select_dtypes('number').shape[1]),
                          'dates': int(df.select_dtypes('datetime').shape[1]),
                          'text': int(df.select_dtypes(exclude=['number', 'datetime', 'bool']).shape[1])}
                """));
        steps.add(new PlannedStep(MISSING, """
                missing = df.isna().sum()
                missing = missing[missing > 0].sort_values(ascending=False)
                result = {'cells': int(missing.sum()), 'columns_with_missing': int(len(missing)),
                          'worst_column': None if missing.empty else str(missing.index[0]),
                          'worst_count': 0 if missing.empty else int(missing.iloc[0]),
                          'worst_share_pct': 0.0 if missing.empty else round(float(missing.iloc[0]) / len(df) * 100, 1)}
                """));
        if (!measures.isEmpty()) {
            steps.add(
                    new PlannedStep(DISTRIBUTIONS + ": " + String.join(", ", measures), """
                    cols = %s
                    d = df[cols].describe().T
                    result = {c: {'mean': round(float(d.loc[c, 'mean']), 2), 'median': round(float(d.loc[c, '50%%']), 2),
                                  'min': round(float(d.loc[c, 'min']), 2), 'max': round(float(d.loc[c, 'max']), 2),
                                  'count': int(d.loc[c, 'count'])} for c in cols}
                    """.formatted(list(measures))));
        } else {
            List<String> texts = texts(schema);
            if (!texts.isEmpty()) {
                steps.add(new PlannedStep(
                        TEXT_VALUES, """
                        cols = %s
                        result = {c: {str(k): int(v) for k, v in df[c].value_counts().head(3).items()} for c in cols}
                        """.formatted(list(texts.stream().limit(3).toList()))));
            }
        }
        if (numeric.size() >= 2) {
            steps.add(new PlannedStep(RELATIONSHIPS, """
                    num = %s
                    c = df[num].corr()
                    pairs = []
                    for i, a in enumerate(num):
                        for b in num[i + 1:]:
                            if pd.notna(c.loc[a, b]):
                                pairs.append({'a': a, 'b': b, 'r': round(float(c.loc[a, b]), 3)})
                    pairs.sort(key=lambda p: -abs(p['r']))
                    result = pairs[:3]
                    """.formatted(
                            list(numeric.stream().limit(MAX_RELATED).toList()))));
        }
        if (!measures.isEmpty()) {
            steps.add(new PlannedStep(OUTLIERS, """
                    out = {}
                    for c in %s:
                        s = df[c].dropna()
                        q1, q3 = s.quantile(0.25), s.quantile(0.75)
                        low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
                        out[c] = {'outliers': int(((s < low) | (s > high)).sum()), 'low': round(float(low), 2),
                                  'high': round(float(high), 2), 'values': int(len(s))}
                    result = out
                    """.formatted(list(measures))));
        }
        schema.columns().stream()
                .filter(c -> c.type() == PandasType.DATETIME64)
                .findFirst()
                .ifPresent(date -> steps.add(new PlannedStep(
                        TIME + " of " + date.name(), """
                        d = df[%s].dropna()
                        result = {'column': %s, 'first': str(d.min().date()), 'last': str(d.max().date()),
                                  'days': int((d.max() - d.min()).days), 'months': int(d.dt.to_period('M').nunique())}
                        """.formatted(string(date.name()), string(date.name())))));
        return List.copyOf(steps);
    }

    /** Numeric columns that measure something (not identifiers: all distinct integers, or named like an id). */
    static List<String> measures(DatasetSchema schema) {
        return schema.columns().stream()
                .filter(c -> c.type() == PandasType.INT64 || c.type() == PandasType.FLOAT64)
                .filter(c -> !identifier(c, schema.rows()))
                .map(ColumnSchema::name)
                .toList();
    }

    private static List<String> texts(DatasetSchema schema) {
        return schema.columns().stream()
                .filter(c -> c.type() == PandasType.OBJECT || c.type() == PandasType.BOOL)
                .map(ColumnSchema::name)
                .toList();
    }

    private static boolean identifier(ColumnSchema c, long rows) {
        String name = c.name().toLowerCase(Locale.ROOT).strip();
        if (name.equals("id") || name.endsWith("_id") || name.endsWith(" id") || name.equals("index")) {
            return true;
        }
        return c.type() == PandasType.INT64
                && c.profile() != null
                && c.profile().distinct() != null
                && rows > 20
                && c.profile().distinct() == rows
                && c.profile().max() != null
                && c.profile().min() != null
                && c.profile().max() - c.profile().min() == rows - 1;
    }

    private static String list(List<String> names) {
        return "[" + names.stream().map(n -> string(n)).collect(Collectors.joining(", ")) + "]";
    }

    // -- the synthesis -------------------------------------------------------------------------------------------

    /** The findings, written from the steps' results only. */
    static Synthesis narrate(List<StepOutcome> steps) {
        List<String> findings = new ArrayList<>();
        List<String> next = new ArrayList<>();
        for (StepOutcome s : steps) {
            if (!s.succeeded()) {
                continue;
            }
            JsonNode r = s.result();
            String goal = s.goal();
            if (goal.equals(SHAPE)) {
                findings.add(String.format(
                        Locale.ROOT,
                        "The table has %s rows and %s columns: %s numeric, %s with dates and %s of text.",
                        Format.integer(r.path("rows").asLong()),
                        r.path("columns").asText(),
                        r.path("numeric").asText(),
                        r.path("dates").asText(),
                        r.path("text").asText()));
            } else if (goal.equals(MISSING)) {
                if (r.path("cells").asLong() == 0) {
                    findings.add("No value is missing.");
                } else {
                    findings.add(String.format(
                            Locale.ROOT,
                            "%s values are missing in %s columns; the most in %s (%s, %s%% of the rows).",
                            Format.integer(r.path("cells").asLong()),
                            r.path("columns_with_missing").asText(),
                            r.path("worst_column").asText(),
                            Format.integer(r.path("worst_count").asLong()),
                            Format.decimal(r.path("worst_share_pct"))));
                    next.add("Which rows have a missing "
                            + r.path("worst_column").asText() + "?");
                }
            } else if (goal.startsWith(DISTRIBUTIONS)) {
                String first = null;
                for (var it = r.fields(); it.hasNext(); ) {
                    var e = it.next();
                    JsonNode d = e.getValue();
                    if (d.path("mean").isNull() || d.path("mean").isMissingNode()) {
                        continue;
                    }
                    first = first == null ? e.getKey() : first;
                    findings.add(String.format(
                            Locale.ROOT,
                            "%s averages %s (median %s), from %s to %s.",
                            e.getKey(),
                            Format.decimal(d.path("mean")),
                            Format.decimal(d.path("median")),
                            Format.decimal(d.path("min")),
                            Format.decimal(d.path("max"))));
                }
                if (first != null) {
                    next.add("What drives " + first + "?");
                }
            } else if (goal.equals(TEXT_VALUES)) {
                for (var it = r.fields(); it.hasNext(); ) {
                    var e = it.next();
                    var values = e.getValue().fields();
                    if (values.hasNext()) {
                        var top = values.next();
                        findings.add(String.format(
                                Locale.ROOT,
                                "The most frequent %s is %s (%s rows).",
                                e.getKey(),
                                top.getKey(),
                                Format.integer(top.getValue().asLong())));
                    }
                }
            } else if (goal.equals(RELATIONSHIPS) && r.isArray() && !r.isEmpty()) {
                JsonNode top = r.get(0);
                double value = top.path("r").asDouble();
                if (Math.abs(value) >= 0.3) {
                    findings.add(String.format(
                            Locale.ROOT,
                            "The strongest relationship is between %s and %s (r = %s): they %s.",
                            top.path("a").asText(),
                            top.path("b").asText(),
                            Format.decimal(top.path("r")),
                            value > 0 ? "rise together" : "move in opposite directions"));
                    next.add("Is " + top.path("a").asText() + " related to "
                            + top.path("b").asText() + "?");
                } else {
                    findings.add(String.format(
                            Locale.ROOT,
                            "No two measures are strongly related (the strongest correlation, between %s and %s, is"
                                    + " r = %s).",
                            top.path("a").asText(),
                            top.path("b").asText(),
                            Format.decimal(top.path("r"))));
                }
            } else if (goal.equals(OUTLIERS)) {
                for (var it = r.fields(); it.hasNext(); ) {
                    var e = it.next();
                    long n = e.getValue().path("outliers").asLong();
                    if (n > 0) {
                        findings.add(String.format(
                                Locale.ROOT,
                                "%s has %s outlying values outside %s to %s.",
                                e.getKey(),
                                Format.integer(n),
                                Format.decimal(e.getValue().path("low")),
                                Format.decimal(e.getValue().path("high"))));
                    }
                }
            } else if (goal.startsWith(TIME)) {
                findings.add(String.format(
                        Locale.ROOT,
                        "%s runs from %s to %s (%s days over %s months).",
                        r.path("column").asText(),
                        r.path("first").asText(),
                        r.path("last").asText(),
                        Format.integer(r.path("days").asLong()),
                        r.path("months").asText()));
                next.add("How does the total change month by month?");
            }
        }
        if (next.size() < 2) {
            next.add("Which column has the most distinct values?");
        }
        return new Synthesis(
                String.join(" ", findings), findings, next.stream().limit(3).toList(), null, null);
    }

    /** Numbers written as the checker reads them back: integers with thousands separators, decimals as computed. */
    static final class Format {
        private Format() {}

        static String integer(long n) {
            return String.format(Locale.ROOT, "%,d", n);
        }

        static String decimal(JsonNode n) {
            if (n == null || !n.isNumber()) {
                return n == null ? "" : n.asText();
            }
            if (n.isIntegralNumber()) {
                return integer(n.asLong());
            }
            double d = n.asDouble();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return integer((long) d);
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
    }
}
