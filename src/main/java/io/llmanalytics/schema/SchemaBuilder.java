package io.llmanalytics.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link DatasetSchema} from a header and a stream of rows, in one pass and bounded memory. Short rows are
 * padded with missing values (as pandas does); long rows whose extra fields are empty are trimmed; long rows with
 * data in their extra fields are refused with {@link RaggedRowException}.
 */
public final class SchemaBuilder {

    private final List<String> names;
    private final ColumnAccumulator[] columns;
    private final ProfileOptions options;
    private final List<String[]> sample = new ArrayList<>();
    private final long maxRows;
    private final CellConventions conventions;
    private final CellScanner scanner;
    private long rows;

    /**
     * The first columns keep their recent scans ({@link RecentScans}): a table of thousands of columns does not take
     * hundreds of megabytes for them.
     */
    static final int RECENT_SCAN_COLUMNS = 256;

    public SchemaBuilder(List<String> rawHeader, ProfileOptions options) {
        this(rawHeader, options, CellConventions.TEXT);
    }

    /** A builder for cells written with the given conventions. */
    public SchemaBuilder(List<String> rawHeader, ProfileOptions options, CellConventions conventions) {
        this(rawHeader, options, conventions, new DistinctBudget(DistinctBudget.TABLE_BYTES));
    }

    /** A builder whose columns count distinct values exactly within {@code budget}. */
    SchemaBuilder(List<String> rawHeader, ProfileOptions options, CellConventions conventions, DistinctBudget budget) {
        this.conventions = conventions;
        this.scanner = new CellScanner(conventions.decimalComma());
        this.names = ColumnNames.normalise(rawHeader);
        this.options = options;
        this.columns = new ColumnAccumulator[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new ColumnAccumulator(
                    options.distinctBound(), options.topValues(), conventions, budget, i < RECENT_SCAN_COLUMNS);
        }
        this.maxRows = names.isEmpty() ? Long.MAX_VALUE : options.maxCells() / names.size();
    }

    public List<String> names() {
        return names;
    }

    public int width() {
        return columns.length;
    }

    public long rows() {
        return rows;
    }

    /**
     * Adds a row of text cells. Returns the row as stored (padded or trimmed to the header's width); the same array
     * when it already had that width.
     */
    public String[] add(String[] cells) {
        String[] row = fit(cells);
        countRow();
        for (int i = 0; i < row.length; i++) {
            columns[i].add(row[i], scanner);
        }
        keepSample(row);
        return row;
    }

    /** Adds a row whose cell kinds the reader knows (null kind = classify the text). */
    public void add(String[] cells, CellKind[] kinds) {
        String[] row = fit(cells);
        countRow();
        for (int i = 0; i < row.length; i++) {
            CellKind kind = i < kinds.length ? kinds[i] : null;
            if (kind == null) {
                columns[i].add(row[i], scanner);
            } else {
                columns[i].add(row[i], kind);
            }
        }
        keepSample(row);
    }

    private void countRow() {
        if (++rows > maxRows) {
            throw new TooManyCellsException(options.maxCells());
        }
    }

    private void keepSample(String[] row) {
        if (sample.size() < options.sampleRows()) {
            sample.add(row.clone());
        }
    }

    private String[] fit(String[] cells) {
        int width = columns.length;
        if (cells.length == width) {
            return cells;
        }
        if (cells.length < width) {
            String[] padded = Arrays.copyOf(cells, width);
            Arrays.fill(padded, cells.length, width, "");
            return padded;
        }
        for (int i = width; i < cells.length; i++) {
            if (!cells[i].isBlank()) {
                throw new RaggedRowException(cells.length, width);
            }
        }
        return Arrays.copyOf(cells, width);
    }

    /**
     * Per column, its values when every cell of it was an integer read from its text ({@link IntegerValues}), null for
     * the other columns: what the dictionary drafts need of integer columns, gathered in this same pass.
     */
    public List<IntegerValues> integers() {
        List<IntegerValues> out = new ArrayList<>(columns.length);
        for (ColumnAccumulator c : columns) {
            IntegerValues v = c.integers();
            out.add(v != null && v.count() == rows ? v : null);
        }
        return out;
    }

    /** Whether some column's canonical text differs from its cells (so a written canonical file needs a rewrite). */
    public boolean needsRewrite() {
        for (ColumnAccumulator c : columns) {
            if (c.needsRewrite()) {
                return true;
            }
        }
        return false;
    }

    /** The schema; throws {@link NonFiniteNumberException} for a numeric column holding inf or an overflowing number. */
    public DatasetSchema build(String name) {
        List<ColumnSchema> schema = new ArrayList<>(columns.length);
        PandasType[] types = new PandasType[columns.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i].checkFinite(names.get(i));
        }
        for (int i = 0; i < columns.length; i++) {
            types[i] = columns[i].type();
            schema.add(new ColumnSchema(names.get(i), types[i], columns[i].nulls(), columns[i].profile()));
        }
        List<Map<String, Object>> rowsOut = new ArrayList<>(sample.size());
        for (String[] row : sample) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int i = 0; i < row.length; i++) {
                record.put(names.get(i), SampleValues.typed(row[i], types[i], conventions));
            }
            rowsOut.add(record);
        }
        return new DatasetSchema(name, rows, schema, rowsOut);
    }
}
