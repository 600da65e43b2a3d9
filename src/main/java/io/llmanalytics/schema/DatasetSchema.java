package io.llmanalytics.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of one dataset (a CSV file or one sheet of a workbook): its columns with dtypes and profiles, its row
 * count and its first rows. {@code sample} rows are maps from column name to a JSON-safe value (numbers, booleans,
 * ISO-8601 strings for dates, null for missing values).
 */
public record DatasetSchema(String name, long rows, List<ColumnSchema> columns, List<Map<String, Object>> sample) {

    public List<String> columnNames() {
        return columns.stream().map(ColumnSchema::name).toList();
    }

    public Map<String, String> dataTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        columns.forEach(c -> types.put(c.name(), c.dtype()));
        return types;
    }

    public Map<String, Long> nullCounts() {
        Map<String, Long> nulls = new LinkedHashMap<>();
        columns.forEach(c -> nulls.put(c.name(), c.nullCount()));
        return nulls;
    }

    public List<String> numericColumns() {
        return columns.stream()
                .filter(c -> c.type().numeric())
                .map(ColumnSchema::name)
                .toList();
    }

    /** Columns pandas' {@code select_dtypes(include=['object', 'bool'])} would list. */
    public List<String> categoricalColumns() {
        return columns.stream()
                .filter(c -> c.type() == PandasType.OBJECT || c.type() == PandasType.BOOL)
                .map(ColumnSchema::name)
                .toList();
    }

    public List<String> dateColumns() {
        return columns.stream()
                .filter(c -> c.type() == PandasType.DATETIME64)
                .map(ColumnSchema::name)
                .toList();
    }

    public Optional<ColumnSchema> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public long cells() {
        return rows * columns.size();
    }
}
