package io.llmanalytics.analyst.offline;

import static io.llmanalytics.python.PythonLiterals.string;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.plan.PlannedStep;
import io.llmanalytics.analyst.plan.StepOutcome;
import io.llmanalytics.analyst.plan.Synthesis;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.ValueCount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline analyst's {@code statistics} mode, for the two common questions it can read without a model: "is the
 * difference in X between A and B significant" (two values of one text column: Welch's t-test and the Mann-Whitney U
 * test, with Cohen's d) and "is X related to Y" (two numeric columns: Pearson's r with its p-value and Spearman's rho;
 * two text columns: the chi-square test of independence with Cramér's V). Every other question is declined: that
 * needs a model. The code is real scipy code; the synthesis states test, statistic, p-value and effect size from the
 * results only.
 */
final class Statistics {

    static final String DESCRIBE = "Descriptive statistics";
    static final String NORMALITY = "Normality of each group (Shapiro-Wilk)";
    static final String COMPARE = "Welch's t-test and Mann-Whitney U test, with Cohen's d";
    static final String CORRELATE = "Pearson and Spearman correlation with p-values";
    static final String CHI_SQUARE = "Chi-square test of independence, with Cramér's V";

    private static final Pattern DIFFERENCE = Pattern.compile(
            "\\b(differen\\w*|differ|significant\\w*|compare\\w*|higher|lower)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern RELATION =
            Pattern.compile("\\b(relat\\w*|correlat\\w*|associat\\w*|depend\\w*|linked)\\b", Pattern.CASE_INSENSITIVE);

    private Statistics() {}

    /** What the question asks, as read. */
    sealed interface Reading {}

    /** The difference in {@code measure} between two values of {@code group}. */
    record Comparison(String measure, String group, String a, String b) implements Reading {}

    /** Whether {@code x} and {@code y} are related; {@code numeric}: both numeric, else both text. */
    record Relation(String x, String y, boolean numeric) implements Reading {}

    /** The reading of {@code question} on {@code schema}, when it is one of the two kinds. */
    static Optional<Reading> read(String question, DatasetSchema schema) {
        String q = normal(question);
        List<ColumnSchema> named = schema.columns().stream()
                .filter(c -> mentions(q, normal(c.name())))
                .toList();
        if (DIFFERENCE.matcher(question).find()) {
            Optional<ColumnSchema> measure =
                    named.stream().filter(Statistics::numeric).findFirst();
            if (measure.isPresent()) {
                for (ColumnSchema c : schema.columns()) {
                    if (c.type() != PandasType.OBJECT
                            || c.profile() == null
                            || c.profile().topValues() == null) {
                        continue;
                    }
                    List<String> values = c.profile().topValues().stream()
                            .map(ValueCount::value)
                            .filter(v -> v != null && !v.isBlank() && mentions(q, normal(v)))
                            .toList();
                    if (values.size() == 2) {
                        return Optional.of(
                                new Comparison(measure.get().name(), c.name(), values.get(0), values.get(1)));
                    }
                }
            }
        }
        if (RELATION.matcher(question).find() && named.size() == 2) {
            ColumnSchema x = named.get(0);
            ColumnSchema y = named.get(1);
            if (numeric(x) && numeric(y)) {
                return Optional.of(new Relation(x.name(), y.name(), true));
            }
            if (x.type() == PandasType.OBJECT && y.type() == PandasType.OBJECT) {
                return Optional.of(new Relation(x.name(), y.name(), false));
            }
        }
        return Optional.empty();
    }

    /** Words a comparison or relation question uses besides the columns and values it names. */
    private static final Set<String> QUESTION_WORDS = Set.of(
            "is",
            "are",
            "was",
            "were",
            "there",
            "a",
            "an",
            "the",
            "any",
            "significant",
            "significantly",
            "statistically",
            "statistical",
            "difference",
            "differences",
            "different",
            "differ",
            "differs",
            "in",
            "of",
            "between",
            "and",
            "vs",
            "versus",
            "compare",
            "compared",
            "comparing",
            "comparison",
            "how",
            "does",
            "do",
            "did",
            "related",
            "relate",
            "relates",
            "relation",
            "relationship",
            "correlation",
            "correlated",
            "correlate",
            "correlates",
            "association",
            "associated",
            "associate",
            "with",
            "to",
            "depend",
            "depends",
            "dependent",
            "on",
            "higher",
            "lower",
            "than",
            "whether",
            "linked",
            "strong",
            "strongly",
            "really");

    /**
     * The words of {@code question} that its reading does not account for (not a named column or value, not a word
     * these questions use): a filter or a condition ("for women", "in 2020") that the plan would otherwise drop
     * silently. The question is then declined naming them.
     */
    static List<String> unexplained(String question, Reading reading) {
        Set<String> known = new HashSet<>(QUESTION_WORDS);
        List<String> named = switch (reading) {
            case Comparison c -> List.of(c.measure(), c.group(), c.a(), c.b());
            case Relation r -> List.of(r.x(), r.y());
        };
        for (String name : named) {
            known.addAll(words(name));
        }
        List<String> left = new ArrayList<>();
        for (String word : words(question)) {
            if (!known.contains(word) && !left.contains(word)) {
                left.add(word);
            }
        }
        return left;
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : Words.fold(text).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static boolean numeric(ColumnSchema c) {
        return c.type() == PandasType.INT64 || c.type() == PandasType.FLOAT64;
    }

    private static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[_\\s]+", " ").strip();
    }

    private static boolean mentions(String question, String phrase) {
        if (phrase.isEmpty()) {
            return false;
        }
        return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(phrase) + "(?![\\p{L}\\p{N}])")
                .matcher(question)
                .find();
    }

    /** The plan of a reading: descriptive statistics, then the test(s). */
    static List<PlannedStep> plan(Reading reading) {
        return switch (reading) {
            case Comparison c -> comparison(c);
            case Relation r -> relation(r);
        };
    }

    private static List<PlannedStep> comparison(Comparison c) {
        String groups =
                "g = df[df[%s].isin([%s, %s])]\na = g.loc[g[%s] == %s, %s].dropna()\nb = g.loc[g[%s] == %s, %s].dropna()\n"
                        .formatted(
                                string(c.group()),
                                string(c.a()),
                                string(c.b()),
                                string(c.group()),
                                string(c.a()),
                                string(c.measure()),
                                string(c.group()),
                                string(c.b()),
                                string(c.measure()));
        return List.of(
                new PlannedStep(DESCRIBE + " of " + c.measure() + " for " + c.a() + " and " + c.b(), groups + """
                        result = {'a': {'n': int(len(a)), 'mean': round(float(a.mean()), 3), 'median': round(float(a.median()), 3), 'std': round(float(a.std()), 3)},
                                  'b': {'n': int(len(b)), 'mean': round(float(b.mean()), 3), 'median': round(float(b.median()), 3), 'std': round(float(b.std()), 3)}}
                        """),
                new PlannedStep(NORMALITY, groups + """
                        from scipy import stats
                        a_p = round(float(stats.shapiro(a.sample(min(len(a), 5000), random_state=0)).pvalue), 4) if len(a) >= 3 else None
                        b_p = round(float(stats.shapiro(b.sample(min(len(b), 5000), random_state=0)).pvalue), 4) if len(b) >= 3 else None
                        result = {'a_p': a_p, 'b_p': b_p, 'alpha': 0.05}
                        """),
                new PlannedStep(COMPARE, groups + """
                        from scipy import stats
                        t = stats.ttest_ind(a, b, equal_var=False)
                        u = stats.mannwhitneyu(a, b, alternative='two-sided')
                        pooled = math.sqrt((a.var() + b.var()) / 2)
                        result = {'t': round(float(t.statistic), 4), 't_p': float(t.pvalue),
                                  't_p_shown': round(float(t.pvalue), 4), 'u': round(float(u.statistic), 2),
                                  'u_p': float(u.pvalue), 'u_p_shown': round(float(u.pvalue), 4),
                                  'd': round(float((a.mean() - b.mean()) / pooled), 3) if pooled > 0 else None,
                                  'n_a': int(len(a)), 'n_b': int(len(b)), 'alpha': 0.05, 'p_floor': 0.0001}
                        """));
    }

    private static List<PlannedStep> relation(Relation r) {
        String x = string(r.x());
        String y = string(r.y());
        if (r.numeric()) {
            return List.of(
                    new PlannedStep(DESCRIBE + " of " + r.x() + " and " + r.y(), """
                            pair = df[[%s, %s]].dropna()
                            result = {'n': int(len(pair)), 'x_mean': round(float(pair[%s].mean()), 3),
                                      'y_mean': round(float(pair[%s].mean()), 3)}
                            """.formatted(x, y, x, y)),
                    new PlannedStep(CORRELATE, """
                            from scipy import stats
                            pair = df[[%s, %s]].dropna()
                            p = stats.pearsonr(pair[%s], pair[%s])
                            s = stats.spearmanr(pair[%s], pair[%s])
                            result = {'r': round(float(p[0]), 4), 'r_p': float(p[1]), 'r_p_shown': round(float(p[1]), 4),
                                      'rho': round(float(s.correlation), 4), 'rho_p': float(s.pvalue),
                                      'n': int(len(pair)), 'alpha': 0.05, 'p_floor': 0.0001}
                            """.formatted(x, y, x, y, x, y)));
        }
        return List.of(
                new PlannedStep(DESCRIBE + ": counts of " + r.x() + " by " + r.y(), """
                        table = pd.crosstab(df[%s], df[%s])
                        result = table
                        """.formatted(x, y)),
                new PlannedStep(CHI_SQUARE, """
                        from scipy import stats
                        table = pd.crosstab(df[%s], df[%s])
                        chi2, p, dof, expected = stats.chi2_contingency(table)
                        n = int(table.values.sum())
                        k = min(table.shape) - 1
                        result = {'chi2': round(float(chi2), 4), 'p': float(p), 'p_shown': round(float(p), 4),
                                  'dof': int(dof), 'n': n, 'v': round(float(math.sqrt(chi2 / (n * k))), 3) if k > 0 and n > 0 else None,
                                  'alpha': 0.05, 'p_floor': 0.0001}
                        """.formatted(x, y)));
    }

    // -- the synthesis -------------------------------------------------------------------------------------------

    /** The findings of a reading's steps, in plain words; numbers only from the results. */
    static Synthesis narrate(Reading reading, List<StepOutcome> steps) {
        JsonNode test = steps.isEmpty() || !steps.get(steps.size() - 1).succeeded()
                ? null
                : steps.get(steps.size() - 1).result();
        List<String> findings = new ArrayList<>();
        List<String> next = new ArrayList<>();
        if (test == null) {
            return new Synthesis(
                    "The test did not run, so there is no conclusion about significance.",
                    List.of(),
                    List.of(),
                    null,
                    null);
        }
        switch (reading) {
            case Comparison c -> {
                JsonNode d = steps.get(0).succeeded() ? steps.get(0).result() : null;
                if (d != null) {
                    findings.add(String.format(
                            Locale.ROOT,
                            "%s averages %s for %s (%s rows) and %s for %s (%s rows).",
                            c.measure(),
                            num(d.path("a").path("mean")),
                            c.a(),
                            num(d.path("a").path("n")),
                            num(d.path("b").path("mean")),
                            c.b(),
                            num(d.path("b").path("n"))));
                }
                boolean significant = test.path("t_p").asDouble(1) < 0.05;
                findings.add(String.format(
                        Locale.ROOT,
                        "The difference is %s at the 0.05 level: Welch's t-test gives t = %s with p %s, and the"
                                + " Mann-Whitney U test gives U = %s with p %s.",
                        significant ? "statistically significant" : "not statistically significant",
                        num(test.path("t")),
                        p(test.path("t_p"), test.path("t_p_shown")),
                        num(test.path("u")),
                        p(test.path("u_p"), test.path("u_p_shown"))));
                if (test.path("d").isNumber()) {
                    double d0 = Math.abs(test.path("d").asDouble());
                    findings.add(String.format(
                            Locale.ROOT,
                            "The effect size (Cohen's d) is %s: a %s difference.",
                            num(test.path("d")),
                            d0 < 0.2 ? "negligible" : d0 < 0.5 ? "small" : d0 < 0.8 ? "medium" : "large"));
                }
                next.add("Does " + c.measure() + " differ across all values of " + c.group() + "?");
                next.add("What is the median " + c.measure() + " by " + c.group() + "?");
            }
            case Relation r
            when r.numeric() -> {
                boolean significant = test.path("r_p").asDouble(1) < 0.05;
                double v = Math.abs(test.path("r").asDouble());
                findings.add(String.format(
                        Locale.ROOT,
                        "%s and %s are %s related (Pearson's r = %s, p %s, over %s rows); the relationship is %s at"
                                + " the 0.05 level. Spearman's rank correlation is %s.",
                        r.x(),
                        r.y(),
                        v < 0.1 ? "hardly" : v < 0.3 ? "weakly" : v < 0.7 ? "moderately" : "strongly",
                        num(test.path("r")),
                        p(test.path("r_p"), test.path("r_p_shown")),
                        num(test.path("n")),
                        significant ? "statistically significant" : "not statistically significant",
                        num(test.path("rho"))));
                next.add("How does " + r.y() + " change as " + r.x() + " grows?");
                next.add("Is the relationship between " + r.x() + " and " + r.y() + " the same in every group?");
            }
            case Relation r -> {
                boolean significant = test.path("p").asDouble(1) < 0.05;
                findings.add(String.format(
                        Locale.ROOT,
                        "%s and %s are %s at the 0.05 level: the chi-square test gives %s with %s degrees of"
                                + " freedom, p %s, over %s rows.",
                        r.x(),
                        r.y(),
                        significant ? "associated" : "not significantly associated",
                        num(test.path("chi2")),
                        num(test.path("dof")),
                        p(test.path("p"), test.path("p_shown")),
                        num(test.path("n"))));
                if (test.path("v").isNumber()) {
                    findings.add(String.format(
                            Locale.ROOT, "The strength of the association (Cramér's V) is %s.", num(test.path("v"))));
                }
                next.add("What are the counts of " + r.x() + " by " + r.y() + "?");
                next.add("Which " + r.x() + " is most common for each " + r.y() + "?");
            }
        }
        return new Synthesis(String.join(" ", findings), findings, next, null, null);
    }

    private static String num(JsonNode n) {
        return Explore.Format.decimal(n);
    }

    /** "= 0.0312", or "< 0.0001" when it rounds to zero at four decimals (the floor is part of the result). */
    private static String p(JsonNode exact, JsonNode shown) {
        return shown.isNumber() && shown.asDouble() == 0 && exact.asDouble() < 0.0001 ? "< 0.0001" : "= " + num(shown);
    }
}
