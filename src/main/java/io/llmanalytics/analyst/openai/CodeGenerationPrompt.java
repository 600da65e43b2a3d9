package io.llmanalytics.analyst.openai;

import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.Interaction;
import io.llmanalytics.analyst.PreviousAttempt;
import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.ValueCount;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data of the code-generation prompt: datasets, history and the failed attempt, which {@link
 * CodeGenerationService} puts before the question in the user message (its annotations hold the rules and the
 * framing). Dataset content (names, values, earlier results, error messages) is quoted as JSON inside
 * {@code <dataset>}/{@code <history>}/{@code <feedback>} blocks that the system message declares to be data.
 *
 * <p>In privacy mode no cell value is included: no sample rows, no most-frequent values, no minimum, maximum, mean or
 * date range, no earlier results, and quoted literals in error messages that are not in the code, the question or
 * the column names are replaced by {@code <value>}. Names, dtypes and counts remain.
 */
public final class CodeGenerationPrompt {

    private static final int OTHER_SAMPLE_ROWS = 2;
    private static final int TOP_VALUES = 5;
    private static final Pattern LITERAL = Pattern.compile("'([^'\\n]{0,200})'|\"([^\"\\n]{0,200})\"");

    private final PromptLimits limits;
    private final String allowedModules;

    public CodeGenerationPrompt(PromptLimits limits) {
        this.limits = limits;
        this.allowedModules = String.join(", ", AllowedModules.names());
    }

    /** The modules the code may import, as the system message lists them. */
    public String allowedModules() {
        return allowedModules;
    }

    /**
     * The data part of the user message, everything before the question: the datasets, the history and the failed
     * attempt to repair.
     */
    public String data(CodeRequest request) {
        StringBuilder user = new StringBuilder();
        List<DatasetSchema> datasets = request.datasets();
        for (int i = 0; i < datasets.size(); i++) {
            dataset(user, datasets.get(i), i == 0, request.privacy());
            user.append('\n');
        }
        sharedColumns(user, request);
        VerifiedExamplesPrompt.append(user, request, limits.maxContextCodeChars());
        history(user, request);
        previous(user, request);
        return user.toString();
    }

    private void dataset(StringBuilder out, DatasetSchema dataset, boolean primary, boolean privacy) {
        String variable = primary ? "df" : "dfs[" + PromptText.quote(dataset.name(), limits.maxValueLength()) + "]";
        out.append("<dataset name=")
                .append(PromptText.quote(dataset.name(), limits.maxValueLength()))
                .append(" variable=")
                .append(PromptText.quote(variable, limits.maxValueLength() + 10))
                .append(">\n");
        out.append("Shape: ")
                .append(String.format(Locale.ROOT, "%,d", dataset.rows()))
                .append(" rows × ")
                .append(dataset.columns().size())
                .append(" columns\n");
        out.append(
                primary && !privacy
                        ? "Columns (position. name: dtype, missing values, profile):\n"
                        : "Columns (position. name: dtype, missing values):\n");
        List<ColumnSchema> columns = dataset.columns();
        for (int i = 0; i < columns.size(); i++) {
            ColumnSchema column = columns.get(i);
            out.append(i)
                    .append(". ")
                    .append(PromptText.quote(column.name(), limits.maxValueLength()))
                    .append(": ")
                    .append(column.dtype())
                    .append(", ")
                    .append(column.nullCount())
                    .append(" missing");
            if (privacy) {
                distinct(out, column.profile());
            } else if (primary) {
                profile(out, column);
            }
            out.append('\n');
        }
        out.append("Numeric columns: ").append(names(dataset.numericColumns())).append('\n');
        out.append("Categorical columns: ")
                .append(names(dataset.categoricalColumns()))
                .append('\n');
        if (!dataset.dateColumns().isEmpty()) {
            out.append("Date columns: ").append(names(dataset.dateColumns())).append('\n');
        }
        if (privacy) {
            out.append("Privacy mode: no values of this dataset are shown.\n");
        } else {
            sample(out, dataset, primary ? limits.sampleRows() : Math.min(OTHER_SAMPLE_ROWS, limits.sampleRows()));
        }
        out.append("</dataset>\n");
    }

    /**
     * The candidate join keys: column pairs of two datasets named alike or whose values match, with the share of the
     * smaller side's distinct values found in the other (counts only: no values, so also in privacy mode).
     */
    private void sharedColumns(StringBuilder out, CodeRequest request) {
        if (request.datasets().size() < 2 || request.sharedColumns().isEmpty()) {
            return;
        }
        out.append("<shared_columns>\nColumns the datasets share (candidate join keys; overlap = share of the smaller")
                .append(" side's distinct values found in the other):\n");
        for (SharedColumn c : request.sharedColumns()) {
            out.append("- ")
                    .append(PromptText.quote(c.leftDataset(), limits.maxValueLength()))
                    .append('.')
                    .append(PromptText.quote(c.leftColumn(), limits.maxValueLength()))
                    .append(" ~ ")
                    .append(PromptText.quote(c.rightDataset(), limits.maxValueLength()))
                    .append('.')
                    .append(PromptText.quote(c.rightColumn(), limits.maxValueLength()))
                    .append(": ")
                    .append(c.dtype())
                    .append(", overlap ")
                    .append(String.format(Locale.ROOT, "%.0f%%", c.overlap() * 100))
                    .append(" (")
                    .append(c.common())
                    .append(" common of ")
                    .append(c.leftDistinct())
                    .append(" and ")
                    .append(c.rightDistinct())
                    .append(" distinct")
                    .append(c.sampled() ? ", counted on a sample" : "")
                    .append(")\n");
        }
        out.append("Join with pd.merge on these columns when the question needs several datasets.\n")
                .append("</shared_columns>\n\n");
    }

    private void profile(StringBuilder out, ColumnSchema column) {
        ColumnProfile p = column.profile();
        if (p == null) {
            return;
        }
        if (column.type().numeric()) {
            appendNumber(out, "min", p.min());
            appendNumber(out, "max", p.max());
            appendNumber(out, "mean", p.mean());
            appendNumber(out, "std", p.std());
        }
        distinct(out, p);
        if (p.topValues() != null && !p.topValues().isEmpty()) {
            out.append(", most frequent: ");
            List<ValueCount> top =
                    p.topValues().subList(0, Math.min(TOP_VALUES, p.topValues().size()));
            for (int i = 0; i < top.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                out.append(PromptText.quote(top.get(i).value(), limits.maxValueLength()))
                        .append(" (")
                        .append(top.get(i).count())
                        .append(')');
            }
        }
        if (p.minDate() != null && p.maxDate() != null) {
            out.append(", from ")
                    .append(PromptText.quote(p.minDate(), 40))
                    .append(" to ")
                    .append(PromptText.quote(p.maxDate(), 40));
        }
    }

    private static void distinct(StringBuilder out, ColumnProfile p) {
        if (p != null && p.distinct() != null) {
            out.append(", ")
                    .append(Boolean.TRUE.equals(p.distinctEstimated()) ? "about " : "")
                    .append(p.distinct())
                    .append(" distinct");
        }
    }

    private static void appendNumber(StringBuilder out, String label, Double value) {
        if (value != null && Double.isFinite(value)) {
            out.append(", ").append(label).append(' ').append(number(value));
        }
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value)
                .round(new MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
    }

    private void sample(StringBuilder out, DatasetSchema dataset, int rows) {
        List<Map<String, Object>> sample = dataset.sample() == null ? List.of() : dataset.sample();
        int n = Math.min(rows, sample.size());
        if (n == 0) {
            return;
        }
        out.append(n == 1 ? "First row (JSON):\n" : "First " + n + " rows (JSON, one per line):\n");
        for (int i = 0; i < n; i++) {
            out.append(PromptText.row(sample.get(i), limits.maxValueLength())).append('\n');
        }
    }

    private void history(StringBuilder out, CodeRequest request) {
        List<Interaction> context = request.context();
        int lookback = Math.max(0, limits.contextLookback());
        if (context.isEmpty() || lookback == 0) {
            return;
        }
        List<Interaction> recent = context.subList(Math.max(0, context.size() - lookback), context.size());
        out.append("<history>\nEarlier questions of this conversation, oldest first (the new question may refer to")
                .append(" them):\n");
        for (int i = 0; i < recent.size(); i++) {
            Interaction item = recent.get(i);
            out.append(i + 1)
                    .append(". Question: ")
                    .append(PromptText.quote(item.question(), 1000))
                    .append('\n');
            if (item.code() != null && !item.code().isBlank()) {
                out.append("   Code: ")
                        .append(PromptText.quote(item.code().strip(), limits.maxContextCodeChars()))
                        .append('\n');
            }
            if (!request.privacy()
                    && item.resultSummary() != null
                    && !item.resultSummary().isBlank()) {
                out.append("   Result: ")
                        .append(PromptText.quote(item.resultSummary(), 300))
                        .append('\n');
            }
        }
        out.append("</history>\n\n");
    }

    private void previous(StringBuilder out, CodeRequest request) {
        PreviousAttempt previous = request.previous();
        if (previous == null) {
            return;
        }
        String feedback = previous.feedback() == null ? "" : previous.feedback().strip();
        if (request.privacy()) {
            feedback = redactLiterals(feedback, allowedLiterals(request, previous.code()));
        }
        String code = previous.code() == null
                ? ""
                : PromptText.truncate(previous.code().strip(), 8000);
        out.append("Your previous code (attempt ")
                .append(request.attempt() - 1)
                .append(") failed:\n```python\n")
                .append(code.replaceAll("`{3,}", "` ` `"))
                .append("\n```\n");
        out.append(
                previous.failure() == PreviousAttempt.Failure.VALIDATION
                        ? "The validator refused it (the code never ran):\n"
                        : "Running it failed:\n");
        out.append("<feedback>\n")
                .append(PromptText.quote(feedback, limits.maxFeedbackChars()))
                .append("\n</feedback>\n");
        out.append("Fix the cause and answer with the complete corrected code.\n\n");
    }

    private static Set<String> allowedLiterals(CodeRequest request, String code) {
        Set<String> allowed = new HashSet<>();
        for (DatasetSchema dataset : request.datasets()) {
            allowed.add(dataset.name());
            allowed.addAll(dataset.columnNames());
        }
        collectLiterals(code, allowed);
        collectLiterals(request.question(), allowed);
        return allowed;
    }

    private static void collectLiterals(String text, Set<String> into) {
        if (text == null) {
            return;
        }
        Matcher m = LITERAL.matcher(text);
        while (m.find()) {
            into.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        for (String word : text.split("[^\\p{L}\\p{N}_]+")) {
            if (!word.isEmpty()) {
                into.add(word);
            }
        }
    }

    /** Replaces quoted literals that could be cell values by {@code <value>}. */
    static String redactLiterals(String text, Set<String> allowed) {
        Matcher m = LITERAL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String content = m.group(1) != null ? m.group(1) : m.group(2);
            String quote = m.group(1) != null ? "'" : "\"";
            String replacement = allowed.contains(content) ? m.group() : quote + "<value>" + quote;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String names(List<String> names) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(PromptText.quote(names.get(i), limits.maxValueLength()));
        }
        return out.append(']').toString();
    }
}
