package io.llmanalytics.upload;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a dataset's canonical CSV: UTF-8, comma-separated, RFC 4180 quoting, header first, missing values as empty
 * fields (see {@link io.llmanalytics.dataset.DatasetSource}); a row of one missing value is a quoted empty field, since
 * a blank line is no row to pandas.
 */
public final class CanonicalCsvWriter implements Closeable {

    private final BufferedWriter out;
    private boolean lineBreaks;

    public CanonicalCsvWriter(Path file) throws IOException {
        this.out = new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
    }

    public void header(List<String> names) throws IOException {
        write(names.toArray(String[]::new));
    }

    /** Writes one row; null cells are missing values. */
    public void write(String[] cells) throws IOException {
        if (cells.length == 1 && (cells[0] == null || cells[0].isEmpty())) {
            // a blank line is no record to pandas (skip_blank_lines): the row would be lost, so it is a quoted empty
            // field, which pandas reads as the row's missing value
            out.write("\"\"\n");
            return;
        }
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            String cell = cells[i];
            if (cell != null && !cell.isEmpty()) {
                writeCell(cell);
            }
        }
        out.write('\n');
    }

    private void writeCell(String cell) throws IOException {
        String field = field(cell);
        // a cell is quoted when it holds a line break, and only then can it hold one
        lineBreaks |= field != cell && breaksLine(cell);
        out.write(field);
    }

    /** Whether {@code text} holds a line break (CR or LF): written, its record spans more than one line. */
    public static boolean breaksLine(String text) {
        return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
    }

    /**
     * A non-empty cell as this writer writes it: quoted (quotes doubled) when it holds a comma, a quote or a line
     * break; the cell itself otherwise.
     */
    public static String field(String cell) {
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '\n' || c == '\r' || c == ',' || c == '"') {
                return quoted(cell);
            }
        }
        return cell;
    }

    private static String quoted(String cell) {
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    /** Whether every record written is one physical line (no cell held a line break): lines are records. */
    public boolean linesAreRecords() {
        return !lineBreaks;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
