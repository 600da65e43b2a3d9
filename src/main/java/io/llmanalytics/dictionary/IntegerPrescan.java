package io.llmanalytics.dictionary;

import io.llmanalytics.dictionary.IntegerColumns.IntColumn;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dictionary drafts' pass over integer columns ({@link IntegerColumns}) started on an uploaded CSV before its schema
 * is known, beside the parse, so that it is off the ingest's critical path. The columns scanned are guessed from the
 * first lines (every field of the first rows plain digits); once the schema is known, {@link #columns} keeps those the
 * schema makes integers and scans the file again only for integer columns the guess missed. A column's result depends
 * on its own fields alone, so the drafts are the ones a pass after the parse gives. Valid only for the file the schema
 * was read from when it is itself canonical (the caller's to ensure).
 */
public final class IntegerPrescan {

    /** How much of the file's start the guess looks at, and how many of its rows. */
    static final int HEAD_BYTES = 64 * 1024;

    static final int HEAD_ROWS = 200;

    private static final IntegerPrescan NONE = new IntegerPrescan(null, new IntColumn[0], null);

    private final Path file;
    private final IntColumn[] byIndex;
    /** Why the file could not be scanned (then no integer column can be), or null. */
    private final IOException unscannable;

    private IntegerPrescan(Path file, IntColumn[] byIndex, IOException unscannable) {
        this.file = file;
        this.byIndex = byIndex;
        this.unscannable = unscannable;
    }

    /** No prescan: every integer column is scanned once the schema is known. */
    public static IntegerPrescan none() {
        return NONE;
    }

    /** Scans {@code file}'s columns whose first rows are all integers (blocking). */
    public static IntegerPrescan scan(Path file, int maxCodes) {
        try {
            boolean[] guess = guess(file);
            return new IntegerPrescan(file, IntegerColumns.scan(guess, file, maxCodes), null);
        } catch (IOException e) {
            return new IntegerPrescan(file, new IntColumn[0], e);
        } catch (RuntimeException e) {
            return new IntegerPrescan(file, new IntColumn[0], new IOException(e));
        }
    }

    /** The columns scanned (by index), for tests. */
    boolean scanned(int index) {
        return index < byIndex.length && byIndex[index] != null;
    }

    @Override
    public String toString() {
        List<Integer> scanned = new ArrayList<>();
        for (int i = 0; i < byIndex.length; i++) {
            if (byIndex[i] != null) {
                scanned.add(i);
            }
        }
        return "IntegerPrescan[" + file + ", columns " + scanned
                + (unscannable == null ? "" : ", unscannable: " + unscannable) + "]";
    }

    /**
     * The integer columns of {@code schema} (read from {@code canonical}) by name: those prescanned on this same file
     * taken as they are, the others scanned now; the failure of the scan, if any, as {@link IntegerColumns#scan} throws
     * it.
     */
    Map<String, IntColumn> columns(DatasetSchema schema, Path canonical, int maxCodes) throws IOException {
        if (file == null || !file.equals(canonical)) {
            return IntegerColumns.scan(schema, canonical, maxCodes);
        }
        if (unscannable != null) {
            throw unscannable;
        }
        List<ColumnSchema> columns = schema.columns();
        boolean[] missing = new boolean[columns.size()];
        boolean any = false;
        for (int i = 0; i < columns.size(); i++) {
            missing[i] = columns.get(i).type() == PandasType.INT64 && !scanned(i);
            any |= missing[i];
        }
        IntColumn[] late = any ? IntegerColumns.scan(missing, canonical, maxCodes) : new IntColumn[0];
        Map<String, IntColumn> byName = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).type() != PandasType.INT64) {
                continue;
            }
            IntColumn c = scanned(i) ? byIndex[i] : late[i];
            byName.put(columns.get(i).name(), c);
        }
        return byName;
    }

    /**
     * The columns whose fields are plain integers (an optional sign and 1 to 18 ASCII digits) in every complete line of
     * the file's first {@link #HEAD_BYTES} bytes after the header that holds no quote (at most {@link #HEAD_ROWS} of
     * them); none when there is no such line. A guess only: a column it misses is scanned after the parse.
     */
    static boolean[] guess(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
        }
        int end = head.length;
        int lineStart = 0;
        boolean header = true;
        boolean[] ints = null;
        int rows = 0;
        for (int i = 0; i < end && rows < HEAD_ROWS; i++) {
            if (head[i] != '\n' && head[i] != '\r') {
                continue;
            }
            int from = lineStart;
            lineStart = i + 1;
            if (header) {
                header = false;
                continue;
            }
            if (i == from) {
                continue; // empty line, or the \n of a \r\n
            }
            boolean quoted = false;
            int fields = 1;
            for (int j = from; j < i; j++) {
                quoted |= head[j] == '"';
                fields += head[j] == ',' ? 1 : 0;
            }
            if (quoted) {
                continue;
            }
            if (ints == null) {
                ints = new boolean[fields];
                Arrays.fill(ints, true);
            }
            int field = 0;
            int start = from;
            for (int j = from; j <= i && field < ints.length; j++) {
                if (j == i || head[j] == ',') {
                    ints[field] &= plainInteger(head, start, j);
                    field++;
                    start = j + 1;
                }
            }
            for (; field < ints.length; field++) {
                ints[field] = false; // a short row
            }
            rows++;
        }
        return ints == null ? new boolean[0] : ints;
    }

    private static boolean plainInteger(byte[] b, int from, int to) {
        int i = from;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            i++;
        }
        if (to - i < 1 || to - i > 18) {
            return false;
        }
        for (; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }
}
