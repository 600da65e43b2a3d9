package io.llmanalytics.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a worker result states, read structurally: its numbers, the groups of numbers that belong together (a
 * series' values, a table column, a table row, a list), its counts (lengths, shapes, total rows) and its texts
 * (labels, string values). Meta fields ({@code type}, {@code dtype}, {@code class}, {@code truncated}) are skipped, so
 * "int64" never supports a 64.
 *
 * <p>Result shapes, as the worker writes them: JSON scalars; lists; dicts; {@code {type: series, name, dtype, data:
 * {label: value} | [[label, value]], length, truncated}}; {@code {type: dataframe, columns, dtypes, data: [{column:
 * value}], shape: [rows, columns], truncated, total_rows, index?}}; {@code {type: index|ndarray, data, ...}};
 * {@code {type: object, class, repr}}.
 */
final class ResultFacts {

    private static final Pattern NUMBER_IN_TEXT = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    private static final int MAX_ITEMS = 20_000;

    final List<Double> values = new ArrayList<>();
    final List<List<Double>> groups = new ArrayList<>();
    /** Groups of a container cut to its sample: their values are facts, their total or mean are not. */
    final List<List<Double>> cutGroups = new ArrayList<>();

    final List<Double> counts = new ArrayList<>();
    final List<String> texts = new ArrayList<>();
    private int items;

    static ResultFacts of(JsonNode result) {
        ResultFacts facts = new ResultFacts();
        facts.walk(result);
        return facts;
    }

    private void walk(JsonNode node) {
        if (node == null || node.isNull() || items++ > MAX_ITEMS) {
            return;
        }
        if (node.isNumber()) {
            values.add(node.asDouble());
        } else if (node.isTextual()) {
            text(node.asText());
        } else if (node.isArray()) {
            array(node);
        } else if (node.isObject()) {
            String type = node.path("type").asText("");
            switch (type) {
                case "series" -> series(node);
                case "dataframe" -> dataframe(node);
                case "index", "ndarray" -> {
                    count(node.get("length"));
                    node.path("shape").forEach(this::count);
                    if (node.path("truncated").asBoolean(false)
                            && node.path("data").isArray()) {
                        List<Double> cut = new ArrayList<>();
                        node.path("data").forEach(item -> addMember(item, cut));
                        addGroup(cut, true);
                    } else {
                        walk(node.get("data"));
                    }
                }
                case "object" -> text(node.path("repr").asText(""));
                default -> object(node);
            }
        }
    }

    private void series(JsonNode node) {
        boolean cut = node.path("truncated").asBoolean(false);
        count(node.get("length"));
        if (node.path("name").isTextual()) {
            text(node.path("name").asText());
        }
        JsonNode data = node.path("data");
        List<Double> group = new ArrayList<>();
        if (data.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                text(entry.getKey());
                addMember(entry.getValue(), group);
            }
        } else if (data.isArray()) {
            for (JsonNode pair : data) {
                if (pair.isArray() && pair.size() == 2) {
                    walkLabel(pair.get(0));
                    addMember(pair.get(1), group);
                } else {
                    addMember(pair, group);
                }
            }
        }
        if (!cut && (data.isObject() || data.isArray())) {
            counts.add((double) data.size());
        }
        addGroup(group, cut);
    }

    private void dataframe(JsonNode node) {
        count(node.get("total_rows"));
        node.path("shape").forEach(this::count);
        node.path("columns").forEach(c -> text(c.asText()));
        node.path("index").forEach(this::walkLabel);
        Map<String, List<Double>> columns = new LinkedHashMap<>();
        JsonNode data = node.path("data");
        for (JsonNode row : data) {
            List<Double> rowGroup = new ArrayList<>();
            if (row.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> cell = it.next();
                    List<Double> column = columns.computeIfAbsent(cell.getKey(), k -> new ArrayList<>());
                    addMember(cell.getValue(), column, rowGroup);
                }
            } else if (row.isArray()) {
                for (int i = 0; i < row.size(); i++) {
                    List<Double> column = columns.computeIfAbsent("#" + i, k -> new ArrayList<>());
                    addMember(row.get(i), column, rowGroup);
                }
            }
            addGroup(rowGroup); // a row is whole even when the table was cut
        }
        boolean cut = node.path("truncated").asBoolean(false)
                || data.size() < node.path("total_rows").asInt(0);
        if (!cut) {
            counts.add((double) data.size());
        }
        columns.values().forEach(column -> addGroup(column, cut));
    }

    private void array(JsonNode node) {
        counts.add((double) node.size());
        List<Double> group = new ArrayList<>();
        Map<String, List<Double>> byKey = new LinkedHashMap<>();
        for (JsonNode item : node) {
            if (item.isNumber()) {
                group.add(item.asDouble());
                values.add(item.asDouble());
            } else if (item.isObject() && !item.has("type")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isNumber()) {
                        byKey.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                .add(e.getValue().asDouble());
                    }
                }
                walk(item);
            } else {
                walk(item);
            }
        }
        addGroup(group);
        byKey.values().forEach(this::addGroup);
    }

    private void object(JsonNode node) {
        counts.add((double) node.size());
        List<Double> group = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            text(entry.getKey());
            JsonNode value = entry.getValue();
            if (value.isNumber()) {
                group.add(value.asDouble());
                values.add(value.asDouble());
            } else {
                walk(value);
            }
        }
        addGroup(group);
    }

    private void addMember(JsonNode value, List<Double> group) {
        if (value != null && value.isNumber()) {
            group.add(value.asDouble());
            values.add(value.asDouble());
        } else {
            walk(value);
        }
    }

    private void addMember(JsonNode value, List<Double> column, List<Double> row) {
        if (value != null && value.isNumber()) {
            column.add(value.asDouble());
            row.add(value.asDouble());
            values.add(value.asDouble());
        } else {
            walk(value);
        }
    }

    private void walkLabel(JsonNode label) {
        if (label != null && label.isNumber()) {
            values.add(label.asDouble());
        } else if (label != null && label.isTextual()) {
            text(label.asText());
        }
    }

    private void addGroup(List<Double> group) {
        addGroup(group, false);
    }

    private void addGroup(List<Double> group, boolean cut) {
        if (cut) {
            cutGroups.add(group);
        } else if (group.size() >= 2) {
            groups.add(group);
        }
    }

    private void count(JsonNode node) {
        if (node != null && node.isNumber()) {
            counts.add(node.asDouble());
        }
    }

    void text(String text) {
        texts.add(text);
        Matcher m = NUMBER_IN_TEXT.matcher(text);
        while (m.find()) {
            try {
                values.add(Math.abs(Double.parseDouble(m.group())));
            } catch (NumberFormatException e) {
                // not a number after all
            }
        }
    }
}
