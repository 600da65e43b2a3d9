package io.llmanalytics.upload.excel;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellClassifier;
import io.llmanalytics.schema.CellConventions;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.SchemaBuilder;
import io.llmanalytics.upload.CanonicalCsvWriter;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.csv.CanonicalRewriter;
import io.llmanalytics.upload.csv.CsvRecords;
import io.llmanalytics.upload.csv.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the rows of one worksheet into a dataset the way pandas' {@code read_excel} does: fully empty rows skipped,
 * title rows above the header skipped, the header's cells as column names, typed cells kept typed (numbers, booleans,
 * dates), text classified like CSV text. Rows are buffered only until the header is found.
 */
public final class SheetRows {

    private static final int MAX_TITLE_ROWS = 10;
    private static final int LOOKAHEAD = 20;

    private final String name;
    private final Path canonical;
    private final ProfileOptions options;
    private final TableLimits limits;
    private final List<Row> pending = new ArrayList<>();
    private SchemaBuilder builder;
    private CanonicalCsvWriter writer;

    record Row(long number, String[] cells, CellKind[] kinds) {
        long filled() {
            return Arrays.stream(cells).filter(c -> c != null && !c.isEmpty()).count();
        }
    }

    public SheetRows(String name, Path canonical, ProfileOptions options, TableLimits limits) {
        this.name = name;
        this.canonical = canonical;
        this.options = options;
        this.limits = limits;
    }

    /** Accepts a row of cells (null = empty) with their kinds (null = classify the text). */
    public void row(long rowNumber, String[] cells, CellKind[] kinds) throws IOException {
        limits.checkColumns(cells.length);
        Row row = new Row(rowNumber, cells, kinds);
        if (row.filled() == 0) {
            return;
        }
        if (builder == null) {
            pending.add(row);
            if (pending.size() >= LOOKAHEAD) {
                start();
            }
            return;
        }
        add(row);
    }

    private void start() throws IOException {
        int width =
                pending.stream().mapToInt(r -> lastFilled(r.cells) + 1).max().orElse(0);
        int headerAt = 0;
        while (headerAt < Math.min(MAX_TITLE_ROWS, pending.size() - 1)
                && width >= 3
                && pending.get(headerAt).filled() == 1) {
            headerAt++;
        }
        Row header = pending.get(headerAt);
        List<String> names = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            String cell = i < header.cells.length ? header.cells[i] : null;
            names.add(cell == null ? "" : headerText(cell, header.kinds[i]));
        }
        builder = new SchemaBuilder(names, options, CellConventions.EXCEL);
        writer = new CanonicalCsvWriter(raw());
        writer.header(builder.names());
        List<Row> rows = new ArrayList<>(pending.subList(headerAt + 1, pending.size()));
        pending.clear();
        for (Row r : rows) {
            add(r);
        }
    }

    private static String headerText(String cell, CellKind kind) {
        return kind == CellKind.DATE ? cell.replace('T', ' ') : cell;
    }

    private void add(Row row) throws IOException {
        String[] cells = fit(row);
        CellKind[] kinds = Arrays.copyOf(row.kinds, cells.length);
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == null) {
                cells[i] = "";
                kinds[i] = CellKind.NULL;
            }
        }
        builder.add(cells, kinds);
        for (int i = 0; i < cells.length; i++) {
            if (kinds[i] == CellKind.NULL || (kinds[i] == null && CellClassifier.isNa(cells[i]))) {
                cells[i] = null;
            } else if (kinds[i] == CellKind.DATE) {
                cells[i] = cells[i].replace('T', ' ');
            }
        }
        writer.write(cells);
    }

    private String[] fit(Row row) {
        int width = builder.width();
        for (int i = width; i < row.cells.length; i++) {
            if (row.cells[i] != null && !row.cells[i].isEmpty()) {
                throw corrupt("Row " + row.number + " of sheet '" + name + "' has a value in column " + (i + 1)
                        + ", right of the header's last column (" + width
                        + "). Give that column a header and upload again.");
            }
        }
        return row.cells.length == width ? row.cells.clone() : Arrays.copyOf(row.cells, width);
    }

    private static int lastFilled(String[] cells) {
        for (int i = cells.length - 1; i >= 0; i--) {
            if (cells[i] != null && !cells[i].isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /** The dataset, or null when the sheet holds no header and data. */
    public ParsedTable finish() throws IOException {
        if (builder == null) {
            if (pending.size() < 2) {
                pending.clear();
                return null;
            }
            start();
        }
        writer.close();
        if (builder.rows() == 0) {
            return null;
        }
        DatasetSchema schema = builder.build(name);
        if (builder.needsRewrite()) {
            try (CsvRecords records = new CsvRecords(raw(), Dialect.CANONICAL, limits)) {
                CanonicalRewriter.write(records, schema, CellConventions.EXCEL, canonical);
            }
            Files.delete(raw());
        } else {
            Files.move(raw(), canonical, StandardCopyOption.REPLACE_EXISTING);
        }
        return new ParsedTable(schema, canonical, List.of(""));
    }

    private Path raw() {
        return canonical.resolveSibling(canonical.getFileName() + ".raw");
    }

    public void abandon() {
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    public static ProblemException corrupt(String detail) {
        return new ProblemException(ProblemType.UNREADABLE_FILE, detail);
    }
}
