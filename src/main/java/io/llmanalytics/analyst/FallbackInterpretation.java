package io.llmanalytics.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain description of a result, built from the result alone, used when interpretation fails or stays ungrounded
 * after its regeneration. Every number it states comes from the result, so it always passes the {@link
 * GroundingChecker}. Analyst-independent.
 */
public final class FallbackInterpretation {

    private static final int LISTED = 3;
    private static final int MAX_TEXT = 200;

    private FallbackInterpretation() {}

    public static String describe(JsonNode result) {
        return describe(result, null);
    }

    /**
     * A description whose highest, lowest and counts are those of the whole result ({@code summary}, computed by the
     * worker over every row) rather than of the sample the result holds.
     *
     * @param summary the worker's facts of the whole result; null when there are none
     */
    public static String describe(JsonNode result, ResultSummary summary) {
        if (result == null || result.isNull() || result.isMissingNode()) {
            return "The code ran but produced no result.";
        }
        if (result.isNumber()) {
            return "The result is " + number(result.asDouble()) + ".";
        }
        if (result.isBoolean()) {
            return "The answer is " + (result.asBoolean() ? "yes" : "no") + ".";
        }
        if (result.isTextual()) {
            return result.asText().isBlank()
                    ? "The result is an empty text."
                    : "The result is “" + text(result.asText()) + "”.";
        }
        if (result.isArray()) {
            return list(result);
        }
        return switch (result.path("type").asText("")) {
            case "series" -> series(result, summary);
            case "dataframe" -> dataframe(result, summary);
            case "index", "ndarray" -> list(result.path("data"));
            case "object" ->
                "The result is a " + result.path("class").asText("Python object") + ": "
                        + text(result.path("repr").asText("")) + ".";
            default -> mapping(result);
        };
    }

    private static String series(JsonNode series, ResultSummary summary) {
        List<Map.Entry<String, JsonNode>> entries = entries(series.path("data"));
        long length = series.path("length").asLong(entries.size());
        String of = series.path("name").isTextual()
                ? " of " + text(series.path("name").asText())
                : "";
        if (entries.isEmpty()) {
            return "The result is an empty series" + of + ".";
        }
        if (length == 1) {
            return "The result is " + value(entries.get(0).getValue()) + " for "
                    + entries.get(0).getKey() + ".";
        }
        StringBuilder out = new StringBuilder("The result lists ")
                .append(count(length))
                .append(" values")
                .append(of);
        ResultSummary.Column whole = summary == null || summary.columns().size() != 1
                ? null
                : summary.columns().get(0);
        if (whole != null && whole.hasValues()) {
            if (whole.max().equals(whole.min())) {
                return out.append(", all ")
                        .append(number(whole.max()))
                        .append('.')
                        .toString();
            }
            return out.append("; the highest is ")
                    .append(number(whole.max()))
                    .append(labelled(whole.maxLabel()))
                    .append(" and the lowest is ")
                    .append(number(whole.min()))
                    .append(labelled(whole.minLabel()))
                    .append('.')
                    .toString();
        }
        Map.Entry<String, JsonNode> max = null;
        Map.Entry<String, JsonNode> min = null;
        for (Map.Entry<String, JsonNode> e : entries) {
            if (!e.getValue().isNumber()) {
                continue;
            }
            if (max == null || e.getValue().asDouble() > max.getValue().asDouble()) {
                max = e;
            }
            if (min == null || e.getValue().asDouble() < min.getValue().asDouble()) {
                min = e;
            }
        }
        if (max != null && min != null && max != min) {
            out.append(entries.size() < length ? "; among the values shown, the highest is " : "; the highest is ")
                    .append(value(max.getValue()))
                    .append(" (")
                    .append(max.getKey())
                    .append(") and the lowest is ")
                    .append(value(min.getValue()))
                    .append(" (")
                    .append(min.getKey())
                    .append(")");
        } else {
            out.append(", starting with ").append(listed(entries));
        }
        return out.append('.').toString();
    }

    private static String labelled(String label) {
        return label == null ? "" : " (" + text(label) + ")";
    }

    private static String dataframe(JsonNode frame, ResultSummary summary) {
        long rows = frame.path("total_rows")
                .asLong(frame.path("shape").path(0).asLong(frame.path("data").size()));
        long columns = frame.path("shape").path(1).asLong(frame.path("columns").size());
        List<String> names = new ArrayList<>();
        frame.path("columns").forEach(c -> names.add(text(c.asText())));
        if (rows == 0) {
            return "The result is an empty table with the columns " + join(names, names.size()) + ".";
        }
        StringBuilder out = new StringBuilder("The result is a table of ")
                .append(count(rows))
                .append(rows == 1 ? " row" : " rows")
                .append(" and ")
                .append(count(columns))
                .append(columns == 1 ? " column" : " columns");
        if (!names.isEmpty()) {
            out.append(" (").append(join(names, 5)).append(')');
        }
        JsonNode data = frame.path("data");
        if (rows == 1 && data.size() == 1 && data.get(0).isObject()) {
            out.append("; its row has ").append(listed(entries(data.get(0))));
        } else if (data.size() < rows) {
            out.append("; only its first rows are shown");
        }
        out.append('.');
        if (summary != null && rows > 1) {
            int described = 0;
            for (ResultSummary.Column c : summary.columns()) {
                if (c.hasValues() && c.name() != null && described++ < 2) {
                    out.append(' ')
                            .append(
                                    c.max().equals(c.min())
                                            ? capitalized(text(c.name())) + " is " + number(c.max()) + " in every row."
                                            : "The highest " + text(c.name()) + " is " + number(c.max())
                                                    + labelled(c.maxLabel()) + " and the lowest " + number(c.min())
                                                    + labelled(c.minLabel()) + ".");
                }
            }
        }
        return out.toString();
    }

    private static String list(JsonNode list) {
        if (list.isEmpty()) {
            return "The result is an empty list.";
        }
        List<Map.Entry<String, JsonNode>> items = new ArrayList<>();
        for (JsonNode item : list) {
            items.add(Map.entry("", item));
        }
        return "The result is a list of " + count(list.size()) + (list.size() == 1 ? " item: " : " items: ")
                + listedValues(items) + ".";
    }

    private static String mapping(JsonNode object) {
        List<Map.Entry<String, JsonNode>> entries = entries(object);
        if (entries.isEmpty()) {
            return "The result is empty.";
        }
        return "The result has " + count(entries.size()) + (entries.size() == 1 ? " entry: " : " entries: ")
                + listed(entries) + ".";
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode data) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        if (data.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                entries.add(Map.entry(text(e.getKey()), e.getValue()));
            }
        } else if (data.isArray()) {
            for (JsonNode pair : data) {
                if (pair.isArray() && pair.size() == 2) {
                    entries.add(Map.entry(text(pair.get(0).asText()), pair.get(1)));
                }
            }
        }
        return entries;
    }

    private static String listed(List<Map.Entry<String, JsonNode>> entries) {
        StringBuilder out = new StringBuilder();
        int n = Math.min(LISTED, entries.size());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(entries.get(i).getKey())
                    .append(" = ")
                    .append(value(entries.get(i).getValue()));
        }
        if (entries.size() > n) {
            out.append(", …");
        }
        return out.toString();
    }

    private static String listedValues(List<Map.Entry<String, JsonNode>> items) {
        StringBuilder out = new StringBuilder();
        int n = Math.min(LISTED, items.size());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(value(items.get(i).getValue()));
        }
        if (items.size() > n) {
            out.append(", …");
        }
        return out.toString();
    }

    private static String value(JsonNode value) {
        if (value == null || value.isNull()) {
            return "missing";
        }
        if (value.isNumber()) {
            return number(value.asDouble());
        }
        if (value.isTextual()) {
            return text(value.asText());
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "True" : "False";
        }
        return value.isContainerNode() ? "(" + count(value.size()) + " values)" : text(value.toString());
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String join(List<String> names, int max) {
        String shown = String.join(", ", names.subList(0, Math.min(max, names.size())));
        return names.size() > max ? shown + ", …" : shown;
    }

    private static String count(long n) {
        return Numbers.number(n);
    }

    /** A number for people: {@link Numbers#number(double)}. */
    static String number(double v) {
        return Numbers.number(v);
    }

    private static String text(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > MAX_TEXT ? flat.substring(0, MAX_TEXT) + "…" : flat;
    }

    /**
     * The sentence naming the units of the columns an answer used ({@code " Amounts of revenue are in €."}), from the
     * data dictionary; empty when there are none. It carries no figure, so the grounding check has nothing to add.
     */
    public static String units(Map<String, String> units) {
        if (units == null || units.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        new TreeMap<>(units)
                .forEach((column, unit) ->
                        parts.add((column.matches(".*\\d.*") ? "`" + column.replace("`", "'") + "`" : column) + " "
                                + (unit.equals("%") ? "in percent" : "in " + unit)));
        return " Units (data dictionary): " + String.join(", ", parts) + ".";
    }
}
