package io.llmanalytics.sources;

import java.util.List;

/**
 * A table or view of a source, as {@code GET /api/sources/{name}/tables} lists it.
 *
 * @param schema its schema (PostgreSQL), database (MariaDB) or {@code main} (SQLite)
 * @param table its name
 * @param columns its columns with their database types
 * @param rowEstimate the database's estimate of its rows, null when it has none
 */
public record TableInfo(String schema, String table, List<Column> columns, Long rowEstimate) {

    /** A column and its database type. */
    public record Column(String name, String type) {}

    /** {@code schema.table}. */
    public String qualified() {
        return schema + "." + table;
    }
}
