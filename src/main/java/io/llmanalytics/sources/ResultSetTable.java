package io.llmanalytics.sources;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellConventions;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.SchemaBuilder;
import io.llmanalytics.upload.CanonicalCsvWriter;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Streams a result set, row by row as the driver fetches them, through the schema pass into a canonical CSV: the same
 * {@link SchemaBuilder} every upload goes through, with each cell's kind known from its SQL type
 * ({@link ColumnReader}). Memory stays bounded by the driver's fetch size and the profile's bounds.
 */
final class ResultSetTable {

    private ResultSetTable() {}

    /**
     * Reads every row of {@code rs} into {@code canonical}. {@code cancelled} is polled between rows (a deadline or
     * a client that went away).
     */
    static ParsedTable read(
            ResultSet rs,
            SourceKind kind,
            String name,
            Path canonical,
            ProfileOptions options,
            TableLimits limits,
            BooleanSupplier cancelled)
            throws SQLException, IOException {
        return read(rs, kind, name, canonical, options, limits, cancelled, Long.MAX_VALUE);
    }

    /** The canonical file grew past the byte budget (the caller's remaining storage quota). */
    static final class OverBudget extends RuntimeException {
        final long rows;

        OverBudget(long rows) {
            super(null, null, false, false);
            this.rows = rows;
        }
    }

    /**
     * As above, failing with {@link OverBudget} as soon as the canonical file passes {@code maxBytes} (checked every
     * 1024 rows, give or take the writer's buffer, and exactly at the end).
     */
    static ParsedTable read(
            ResultSet rs,
            SourceKind kind,
            String name,
            Path canonical,
            ProfileOptions options,
            TableLimits limits,
            BooleanSupplier cancelled,
            long maxBytes)
            throws SQLException, IOException {
        ResultSetMetaData meta = rs.getMetaData();
        int width = meta.getColumnCount();
        limits.checkColumns(width);
        List<String> header = new ArrayList<>(width);
        ColumnReader[] readers = new ColumnReader[width];
        for (int i = 0; i < width; i++) {
            String label = meta.getColumnLabel(i + 1);
            header.add(label == null || label.isBlank() ? meta.getColumnName(i + 1) : label);
            readers[i] = ColumnReader.of(meta, i + 1, kind);
        }
        SchemaBuilder builder = new SchemaBuilder(header, options, CellConventions.TEXT);
        String[] cells = new String[width];
        CellKind[] kinds = new CellKind[width];
        RowFetcher fetcher = new RowFetcher(rs, readers, cancelled);
        Thread fetching = Thread.ofPlatform().name("source-fetch").daemon(true).start(fetcher);
        try (CanonicalCsvWriter writer = new CanonicalCsvWriter(canonical)) {
            writer.header(builder.names());
            long row = 0;
            for (RowFetcher.Batch batch = fetcher.next(); batch.size() > 0; batch = fetcher.next()) {
                for (int r = 0; r < batch.size(); r++) {
                    if ((++row & 1023) == 0 && maxBytes != Long.MAX_VALUE && Files.size(canonical) > maxBytes) {
                        throw new OverBudget(row);
                    }
                    String[] written = batch.texts()[r];
                    CellKind[] known = batch.kinds() == null ? null : batch.kinds()[r];
                    for (int i = 0; i < width; i++) {
                        String text = written[i];
                        if (text == null) {
                            cells[i] = "";
                            kinds[i] = CellKind.NULL;
                        } else {
                            if (text.length() > limits.maxCellChars()) {
                                throw new ProblemException(
                                        ProblemType.UNPROCESSABLE,
                                        "Row " + row + " of '" + name + "' holds a value of " + text.length()
                                                + " characters in column '" + header.get(i) + "'; at most "
                                                + limits.maxCellChars()
                                                + " are supported. Select a shorter expression.");
                            }
                            cells[i] = text;
                            kinds[i] = known == null ? readers[i].kind() : known[i];
                        }
                    }
                    builder.add(cells, kinds);
                    writer.write(written);
                }
            }
            writer.close();
            if (Files.size(canonical) > maxBytes) {
                throw new OverBudget(row);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            fetcher.stop();
            Files.deleteIfExists(canonical);
            throw e;
        } finally {
            fetcher.stop();
            awaitEnd(fetching);
        }
        return new ParsedTable(pandasTypes(builder.build(name), readers), canonical, List.of(""));
    }

    /** Waits for the fetching thread to let go of the result set (the caller closes it next). */
    private static void awaitEnd(Thread fetching) {
        boolean interrupted = false;
        while (fetching.isAlive()) {
            try {
                fetching.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What the schema pass cannot know from values alone: a column holding only NULLs is object in pandas
     * (datetime64[ns] for a date column, which {@code parse_dates} converts).
     */
    private static DatasetSchema pandasTypes(DatasetSchema schema, ColumnReader[] readers) {
        List<ColumnSchema> columns = new ArrayList<>(schema.columns().size());
        boolean changed = false;
        for (int i = 0; i < schema.columns().size(); i++) {
            ColumnSchema c = schema.columns().get(i);
            if (c.nullCount() == schema.rows()) {
                PandasType type = readers[i].kind() == CellKind.DATE ? PandasType.DATETIME64 : PandasType.OBJECT;
                if (type != c.type()) {
                    changed = true;
                    c = new ColumnSchema(
                            c.name(),
                            type,
                            c.nullCount(),
                            new ColumnProfile(
                                    type.dtype(),
                                    c.nullCount(),
                                    null,
                                    null,
                                    null,
                                    null,
                                    type == PandasType.OBJECT ? 0L : null,
                                    null,
                                    type == PandasType.OBJECT ? List.of() : null,
                                    null,
                                    null));
                }
            }
            columns.add(c);
        }
        return changed ? new DatasetSchema(schema.name(), schema.rows(), columns, schema.sample()) : schema;
    }
}
