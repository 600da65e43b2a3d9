package io.llmanalytics.export.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.dictionary.ColumnEntry;
import io.llmanalytics.dictionary.DataDictionary;
import io.llmanalytics.export.ResultTable;
import io.llmanalytics.export.ResultText;
import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.schema.ColumnSchema;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What both reports write the same way: bounded text, a result's table or text, a dataset's column profile. */
final class ReportText {

    static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** The headers of a dataset's column table. */
    static final List<String> PROFILE_HEADER =
            List.of("Column", "Type", "Missing", "Distinct", "Min", "Max", "Mean", "Meaning");

    private ReportText() {}

    static String date(TemporalAccessor at) {
        return DATE.format(at);
    }

    /** Text cut to {@code max} characters, saying how many were left out. */
    static String bounded(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "\n[… " + (text.length() - max) + " more characters left out of this report]";
    }

    /** A result's table, cut to {@code maxRows} rows. */
    record Table(List<String> header, List<List<String>> rows, long leftOut) {

        String leftOutNote() {
            return leftOut <= 0
                    ? ""
                    : rows.size() + " rows shown; " + leftOut + (leftOut == 1 ? " more row was" : " more rows were")
                            + " left out of this report.";
        }
    }

    /** The table of a DataFrame or Series result, at most {@code maxRows} rows; empty for other results. */
    static Optional<Table> table(JsonNode result, int maxRows) {
        Optional<ResultTable> found = ResultTable.of(result);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ResultTable t = found.get();
        List<List<String>> rows = new ArrayList<>();
        for (List<JsonNode> row : t.rows()) {
            if (rows.size() >= maxRows) {
                break;
            }
            rows.add(row.stream().map(ReportText::cell).toList());
        }
        long total = t.rows().size();
        if (result.path("total_rows").canConvertToLong()) {
            total = Math.max(total, result.path("total_rows").asLong());
        } else if (result.path("length").canConvertToLong()) {
            total = Math.max(total, result.path("length").asLong());
        }
        return Optional.of(new Table(t.header(), rows, total - rows.size()));
    }

    /** A result that is not a table, as text (null when there is none). */
    static String plain(JsonNode result) {
        if (result == null || result.isMissingNode()) {
            return null;
        }
        if (result.isObject() && "omitted".equals(result.path("type").asText())) {
            return "(The result was too large to keep with the answer"
                    + (result.path("reason").isTextual()
                            ? ": " + result.path("reason").asText()
                            : "") + ".)";
        }
        return ResultText.plain(result);
    }

    static String cell(JsonNode cell) {
        if (cell == null || cell.isNull() || cell.isMissingNode()) {
            return "";
        }
        return cell.isTextual() ? cell.asText() : cell.toString();
    }

    /**
     * One column's row of the datasets' profile table (see {@link #PROFILE_HEADER}): its profile, then what its data
     * dictionary entry says it means (description and unit; marked when drafted from the data).
     */
    static List<String> profile(ColumnSchema column, DataDictionary dictionary) {
        ColumnProfile p = column.profile();
        String min = "";
        String max = "";
        String mean = "";
        String distinct = "";
        if (p != null) {
            min = p.min() != null ? number(p.min()) : p.minDate() != null ? p.minDate() : "";
            max = p.max() != null ? number(p.max()) : p.maxDate() != null ? p.maxDate() : "";
            mean = p.mean() != null ? number(p.mean()) : "";
            distinct =
                    p.distinct() == null ? "" : (Boolean.TRUE.equals(p.distinctEstimated()) ? "≈" : "") + p.distinct();
        }
        return List.of(
                column.name(),
                column.dtype(),
                Long.toString(column.nullCount()),
                distinct,
                min,
                max,
                mean,
                dictionary.column(column.name()).map(ReportText::meaning).orElse(""));
    }

    private static String meaning(ColumnEntry entry) {
        String text = entry.description() == null ? "" : entry.description().strip();
        if (entry.unit() != null && !entry.unit().isBlank()) {
            text = (text + " (" + entry.unit().strip() + ")").strip();
        }
        return text.isEmpty() || !entry.drafted() ? text : text + " [draft]";
    }

    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
