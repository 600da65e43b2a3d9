package io.llmanalytics.dictionary;

import io.llmanalytics.dictionary.IntegerColumns.IntColumn;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.FoldedIntegers;
import io.llmanalytics.schema.IntegerValues;
import io.llmanalytics.schema.PandasType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dictionary drafts' integer columns ({@link IntegerColumns}) of a canonical CSV taken from the pass that profiled
 * it (an uploaded CSV's, or a typed reader's that wrote it) instead of a second scan of the file: the pass saw every cell
 * of every column, and for a file whose physical lines are its records one for one ({@link FoldedIntegers}), the cells
 * of a column the schema makes integer are exactly the fields {@link IntegerColumns} reads there, line for line (the
 * Parquet fast path gathers the same by queries, {@code NativeCopy}). So the result is the one its scan
 * gives: the first {@code maxCodes + 1} distinct values in the order they came, and whether they only ever increase (a
 * blank line, which the pass skips, is a non-integer first field to the scan: the first column is then not
 * increasing). An integer column the pass could not keep enough values of is scanned, as is any file it does not
 * describe.
 */
public final class IntegerPrescan {

    private static final IntegerPrescan NONE = new IntegerPrescan(null, new IntColumn[0], 0);

    private final Path file;
    private final IntColumn[] byIndex;
    private final int maxCodes;

    private IntegerPrescan(Path file, IntColumn[] byIndex, int maxCodes) {
        this.file = file;
        this.byIndex = byIndex;
        this.maxCodes = maxCodes;
    }

    /** Nothing known: every integer column is scanned once the schema is known. */
    public static IntegerPrescan none() {
        return NONE;
    }

    /** The integer columns the profile pass over {@code file} gathered ({@code folded} null: none). */
    public static IntegerPrescan folded(Path file, FoldedIntegers folded, int maxCodes) {
        if (folded == null) {
            return NONE;
        }
        List<IntegerValues> values = folded.byIndex();
        IntColumn[] byIndex = new IntColumn[values.size()];
        for (int i = 0; i < byIndex.length; i++) {
            IntegerValues v = values.get(i);
            if (v == null || (maxCodes + 1 > IntegerValues.KEPT && !v.allKept())) {
                continue;
            }
            IntColumn c = new IntColumn();
            for (long code : v.first(maxCodes + 1)) {
                c.values.add(code);
            }
            c.increasing = v.increasing() && !(i == 0 && folded.blankLines());
            c.first = v.count() == 0;
            c.last = v.count() == 0 ? Long.MIN_VALUE : v.last();
            byIndex[i] = c;
        }
        return new IntegerPrescan(file, byIndex, maxCodes);
    }

    /** The columns gathered (by index), for tests. */
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
        return "IntegerPrescan[" + file + ", columns " + scanned + "]";
    }

    /**
     * The integer columns of {@code schema} (read from {@code canonical}) by name: those gathered from this same file
     * taken as they are, the others scanned now; the failure of the scan, if any, as {@link IntegerColumns#scan} throws
     * it.
     */
    Map<String, IntColumn> columns(DatasetSchema schema, Path canonical, int maxCodes) throws IOException {
        if (file == null || !file.equals(canonical) || maxCodes != this.maxCodes) {
            return IntegerColumns.scan(schema, canonical, maxCodes);
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
}
