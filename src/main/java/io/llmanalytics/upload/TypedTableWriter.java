package io.llmanalytics.upload;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.FoldedIntegers;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.SchemaBuilder;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The common tail of the typed readers (Parquet, Arrow, JSON Lines): rows whose cell kinds the reader knows go through
 * the schema pass and into the canonical CSV in one step. Cells are text as pandas would read them from the canonical
 * file ({@code True}/{@code False}, ISO dates, numbers as written); a null cell (or kind {@link CellKind#NULL}) is a
 * missing value.
 */
public final class TypedTableWriter implements Closeable {

    private final SchemaBuilder builder;
    private final TableLimits limits;
    private final CanonicalCsvWriter writer;
    private final Path canonical;
    private final String[] cells;
    private final CellKind[] kinds;

    public TypedTableWriter(List<String> names, ProfileOptions options, TableLimits limits, Path canonical)
            throws IOException {
        limits.checkColumns(names.size());
        if (names.isEmpty()) {
            throw new ProblemException(ProblemType.NO_COLUMNS, "The table has no columns.");
        }
        this.builder = new SchemaBuilder(names, options);
        this.limits = limits;
        this.canonical = canonical;
        this.writer = new CanonicalCsvWriter(canonical);
        this.cells = new String[names.size()];
        this.kinds = new CellKind[names.size()];
        writer.header(builder.names());
    }

    public int width() {
        return cells.length;
    }

    public long rows() {
        return builder.rows();
    }

    /** Adds a row; {@code row} names it in messages (a line or record number). Arrays are not kept. */
    public void add(String[] values, CellKind[] valueKinds, long row) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            String v = i < values.length ? values[i] : null;
            CellKind k = i < valueKinds.length ? valueKinds[i] : CellKind.NULL;
            if (v == null || k == CellKind.NULL) {
                cells[i] = "";
                kinds[i] = CellKind.NULL;
            } else {
                cells[i] = v;
                kinds[i] = k;
            }
        }
        limits.checkCells(cells, row);
        builder.add(cells, kinds);
        for (int i = 0; i < cells.length; i++) {
            if (kinds[i] == CellKind.NULL) {
                cells[i] = null;
            } else if (kinds[i] == CellKind.DATE) {
                cells[i] = cells[i].replace('T', ' ');
            }
        }
        writer.write(cells);
    }

    /** The dataset; a 400 when it has no rows. */
    public ParsedTable finish(String name) throws IOException {
        writer.close();
        if (builder.rows() == 0) {
            String names = String.join(
                    ", ", builder.names().subList(0, Math.min(5, builder.names().size())));
            throw new ProblemException(
                    ProblemType.EMPTY_FILE,
                    "The table has columns (" + names + (builder.names().size() > 5 ? ", ..." : "") + ") but no rows.");
        }
        // the integer columns' values gathered in this pass spare the dictionary drafts a scan of the canonical file
        // (IntegerPrescan), which reads its lines: given when its lines are its records, as for an uploaded CSV
        FoldedIntegers integers = writer.linesAreRecords() ? new FoldedIntegers(builder.integers(), false) : null;
        return new ParsedTable(builder.build(name), canonical, List.of(""), integers);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
