package io.llmanalytics.schema;

/**
 * Everything one streaming pass learns about a column: which kinds of cell it holds (hence its pandas dtype), its
 * missing values, numeric moments (Welford), date range and distinct values.
 */
final class ColumnAccumulator {

    private final DistinctCounter distinct;
    private final CellConventions conventions;
    private final boolean decimalComma;
    private long nulls;
    private long ints;
    private long floats;
    private long bools;
    private long dates;
    private long texts;
    private DateFormats.Family dateFamily;
    private boolean mixedDateFamilies;
    private long numericCount;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private boolean nanOrInf;
    private long dateMin = Long.MAX_VALUE;
    /** Typed (number and date) cells counted in {@link #distinct} while the column might still become text. */
    private int typedTracked;
    /** Some typed cells were not counted (the column looked typed); counts of a column that became text are estimates. */
    private boolean typedUntracked;

    private long dateMax = Long.MIN_VALUE;
    /** Cells added so far: the data row of the cell being added. */
    private long cells;
    /** The first number that is not a finite double, and its row (0: none). */
    private String nonFinite;

    private long nonFiniteRow;

    /** The column's integers while every cell added was one (from the text scanner); null after any other cell. */
    private IntegerValues integers = new IntegerValues();

    /** The column's recent scans while it may still be typed; null when its cells are always scanned. */
    private RecentScans recent;

    ColumnAccumulator(int distinctBound, int topSize, CellConventions conventions, DistinctBudget budget) {
        this(distinctBound, topSize, conventions, budget, false);
    }

    /** {@code recentScans}: whether the column keeps its recent scans ({@link RecentScans}, up to 60 KB or so). */
    ColumnAccumulator(
            int distinctBound, int topSize, CellConventions conventions, DistinctBudget budget, boolean recentScans) {
        this.distinct = new DistinctCounter(distinctBound, topSize, budget);
        this.conventions = conventions;
        this.decimalComma = conventions.decimalComma();
        this.recent = recentScans ? new RecentScans() : null;
    }

    /** Adds a cell of text, as a CSV reader gives it, classified and read by {@code scanner}. */
    void add(String cell, CellScanner scanner) {
        cells++;
        if (texts > 0) {
            settledText(cell);
            return;
        }
        CellKind kind = recent == null ? scanner.scan(cell) : recent.scan(cell, scanner);
        if (integers != null && kind != CellKind.INT) {
            integers = null;
        }
        switch (kind) {
            case NULL -> nulls++;
            case INT -> {
                ints++;
                if (integers != null) {
                    integers.add(scanner.integer());
                }
                numeric(scanner.value(), cell);
                typed(cell);
            }
            case FLOAT -> {
                floats++;
                numeric(scanner.value(), cell);
                typed(cell);
            }
            case DATE -> {
                date(scanner.millis(), scanner.family());
                typed(cell);
            }
            default -> addKnown(cell, kind);
        }
    }

    /**
     * Distinct values matter only for text columns. A column whose first {@value #TYPED_TRACKING} typed cells came
     * with no text is very likely typed: its later typed cells are not counted (the profile of a numeric or date
     * column needs none), which keeps ingestion of large numeric files fast.
     */
    private void typed(String cell) {
        if (texts > 0 || typedTracked < TYPED_TRACKING) {
            typedTracked++;
            distinct.add(cell);
        } else {
            typedUntracked = true;
        }
    }

    private static final int TYPED_TRACKING = 1024;

    /**
     * A column holding text is an object column whatever comes after, and its profile needs only its missing values
     * and its distinct values: every other cell is counted as it would be after classification (a missing value, or a
     * value whose kind no longer matters), without classifying it.
     */
    private void settledText(String cell) {
        if (CellScanner.isNull(cell)) {
            nulls++;
        } else {
            distinct.add(cell);
        }
    }

    /** Adds a cell whose kind the reader already knows (Excel's typed cells); dates come as ISO text. */
    void add(String cell, CellKind kind) {
        cells++;
        // an empty cell is a missing value whatever the reader took it for (an empty JSON string, say): the canonical
        // copy cannot hold an empty text apart from a missing value, and the worker's pandas reads it as missing
        CellKind known = cell == null || cell.isEmpty() ? CellKind.NULL : kind;
        if (integers != null) {
            knownInteger(cell, known);
        }
        addKnown(cell, known);
    }

    /**
     * Follows a known-kind column's integers as the text scanner's do: while every cell is an integer whose text reads
     * as a {@code long} (its text is what the canonical file holds, and what a scan of that file reads).
     */
    private void knownInteger(String cell, CellKind kind) {
        if (kind != CellKind.INT) {
            integers = null;
            return;
        }
        try {
            integers.add(Long.parseLong(cell.strip()));
        } catch (NumberFormatException notALong) {
            integers = null;
        }
    }

    private void addKnown(String cell, CellKind kind) {
        switch (kind) {
            case NULL -> {
                nulls++;
                return;
            }
            case INT -> {
                ints++;
                numeric(CellClassifier.toDouble(cell, decimalComma), cell);
                typed(cell);
                return;
            }
            case FLOAT -> {
                floats++;
                numeric(CellClassifier.toDouble(cell, decimalComma), cell);
                typed(cell);
                return;
            }
            case BOOL -> {
                bools++;
                if (conventions.boolsAreNumbers()) {
                    numeric(CellClassifier.parseBool(cell) ? 1 : 0, cell);
                }
            }
            case DATE -> {
                date(DateFormats.parse(cell), DateFormats.family(cell));
                typed(cell);
                return;
            }
            default -> {
                texts++;
                recent = null; // its cells are not scanned any more (settledText)
            }
        }
        distinct.add(cell);
    }

    private void numeric(double v, String cell) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            nanOrInf = true;
            if (nonFinite == null) {
                nonFinite = cell;
                nonFiniteRow = cells;
            }
            if (Double.isInfinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            return;
        }
        numericCount++;
        double delta = v - mean;
        mean += delta / numericCount;
        m2 += delta * (v - mean);
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    private void date(long t, DateFormats.Family family) {
        if (dateFamily == null) {
            dateFamily = family;
        } else if (family != dateFamily) {
            mixedDateFamilies = true;
        }
        dates++;
        dateMin = Math.min(dateMin, t);
        dateMax = Math.max(dateMax, t);
    }

    long nulls() {
        return nulls;
    }

    /** The column's integers when every cell added so far was an integer read from its text; null otherwise. */
    IntegerValues integers() {
        return integers;
    }

    /** Whether the canonical text of this column differs from its cells' text (booleans that became numbers). */
    boolean needsRewrite() {
        return bools > 0 && type().numeric();
    }

    /** The dtype pandas gives this column (with {@code parse_dates} for date columns). */
    PandasType type() {
        long values = ints + floats + bools + dates + texts;
        if (values == 0) {
            return PandasType.FLOAT64;
        }
        if (texts == 0 && dates == 0 && (bools == 0 || (conventions.boolsAreNumbers() && bools < values + nulls))) {
            return floats == 0 && nulls == 0 ? PandasType.INT64 : PandasType.FLOAT64;
        }
        if (bools == values) {
            return nulls == 0 ? PandasType.BOOL : PandasType.OBJECT;
        }
        if (dates == values && !mixedDateFamilies) {
            return PandasType.DATETIME64;
        }
        return PandasType.OBJECT;
    }

    /**
     * Refuses a numeric column holding a number that is not a finite double (pandas cannot load an overflowing
     * literal as float64, and an infinity poisons every aggregate); in a text column such a cell is just text.
     */
    void checkFinite(String name) {
        if (nonFinite != null && type().numeric()) {
            throw new NonFiniteNumberException(name, nonFiniteRow, nonFinite);
        }
    }

    ColumnProfile profile() {
        PandasType type = type();
        return switch (type) {
            case INT64, FLOAT64 -> numericProfile(type);
            case DATETIME64 -> ColumnProfile.dates(type.dtype(), nulls, dateMin, dateMax);
            default ->
                new ColumnProfile(
                        type.dtype(),
                        nulls,
                        null,
                        null,
                        null,
                        null,
                        distinct.distinct(),
                        distinct.estimated() || typedUntracked ? Boolean.TRUE : null,
                        distinct.top(),
                        null,
                        null);
        };
    }

    private ColumnProfile numericProfile(PandasType type) {
        if (numericCount == 0 && !nanOrInf) {
            return new ColumnProfile(type.dtype(), nulls, null, null, null, null, null, null, null, null, null);
        }
        Double std = numericCount > 1 && !nanOrInf ? Math.sqrt(m2 / (numericCount - 1)) : null;
        Double avg = nanOrInf ? null : mean;
        return new ColumnProfile(type.dtype(), nulls, finite(min), finite(max), avg, std, null, null, null, null, null);
    }

    private static Double finite(double v) {
        return Double.isInfinite(v) || Double.isNaN(v) ? null : v;
    }
}
