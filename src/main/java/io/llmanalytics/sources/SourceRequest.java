package io.llmanalytics.sources;

/**
 * A dataset to import from a source: {@code {"source": "warehouse", "table": "public.orders"}} or
 * {@code {"source": "warehouse", "query": "SELECT ...", "name": "orders_2024"}}.
 *
 * @param source the source's name
 * @param table a table or view ({@code schema.table}, or {@code table} in the connection's default schema)
 * @param query one SELECT statement (instead of a table)
 * @param name the dataset's name (default: the table's name, or {@code query})
 */
public record SourceRequest(String source, String table, String query, String name) {}
