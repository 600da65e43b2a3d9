package io.llmanalytics.schema;

/** A column as the worker's DataFrame will have it. */
public record ColumnSchema(String name, PandasType type, long nullCount, ColumnProfile profile) {

    public String dtype() {
        return type.dtype();
    }
}
