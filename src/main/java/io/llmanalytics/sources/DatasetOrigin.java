package io.llmanalytics.sources;

import java.time.Instant;

/**
 * Where a dataset came from when it was imported from a database source, stored with the dataset so that it can be
 * refreshed. Holds the source's name only, never its URL or credentials.
 *
 * @param source the source's name
 * @param table the table ({@code schema.table}), or null for a query
 * @param query the query, or null for a table
 * @param importedAt when the rows were read
 * @param bytes the size of the canonical file the import wrote (counted in the session's stored bytes)
 */
public record DatasetOrigin(String source, String table, String query, Instant importedAt, long bytes) {

    public DatasetOrigin withBytes(long size) {
        return new DatasetOrigin(source, table, query, importedAt, size);
    }
}
