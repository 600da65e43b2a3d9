package io.llmanalytics.upload.parquet;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.schema.ColumnNames;
import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.FoldedIntegers;
import io.llmanalytics.schema.IntegerValues;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.TooManyCellsException;
import io.llmanalytics.schema.ValueCount;
import io.llmanalytics.upload.CanonicalCsvWriter;
import io.llmanalytics.upload.CanonicalSink;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.parquet.ParquetTableReader.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fastest path of {@link ParquetTableReader}, for tables of plain columns whose text columns hold at most the
 * distinct bound of distinct values (categories, codes, names of things). DuckDB decodes the file and hands each value
 * over JDBC as a number: a text as the code of its value in an ENUM type built from the column's distinct values, a
 * date as days, a timestamp in epoch units, a decimal unscaled. No cell becomes a Java String on the way, which is
 * where the row-by-row reader spends most of its time, and DuckDB's own CSV writer ({@link NativeCopy}) is slow with
 * numbers. One Java pass then writes the canonical CSV, the row-by-row reader's text byte for byte (the same
 * {@link Double#toString} of floats, the same timestamps), and gathers the profile as the row-by-row profile gathers
 * it (Welford moments, exact counts of text and boolean values) and what the dictionary drafts need of the integer
 * columns ({@link FoldedIntegers}).
 *
 * <p>Steps aside (an empty result: {@link NativeCopy}, then the row-by-row reader, read the table) where it cannot
 * reproduce them exactly: a text column with more distinct values than the bound or a cell longer than the cell
 * limit, a decimal of more than 18 digits, an infinity, a date or timestamp outside datetime64[ns]'s range, no rows.
 */
final class ColumnarCopy {

    private static final byte[] TRUE = "True".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "False".getBytes(StandardCharsets.US_ASCII);
    /** Exact powers of ten, for decimals of up to 18 digits. */
    private static final double[] POWERS = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18
    };

    /** The two digits of each number below 100, tens first. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Digits after the point tried for a short decimal ({@link CsvBytes#javaText}). */
    private static final int SHORT_DECIMALS = 9;

    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");
    /** Rows of a text column whose distinct values are counted before it is grouped whole. */
    private static final int FIRST_ROWS = 65_536;
    /** Rows DuckDB hands over per fetch. */
    private static final int FETCH_ROWS = 2048;

    private final ProfileOptions options;
    private final TableLimits limits;

    ColumnarCopy(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    /** The kinds it reads are {@link NativeCopy}'s. */
    static boolean applies(List<Kind> kinds) {
        return NativeCopy.applies(kinds);
    }

    /**
     * Thrown by the pass at a value it cannot write as the row-by-row reader would (an infinity, a timestamp DuckDB
     * cannot decode).
     */
    private static final class StepAside extends Exception {
        StepAside() {
            super(null, null, false, false);
        }
    }

    /**
     * The table, or empty when another reader must read it. {@code types}: DuckDB's name of each column's type.
     * Blocking.
     */
    Optional<ParsedTable> read(
            Connection db,
            String source,
            List<String> rawNames,
            List<String> types,
            List<Kind> kinds,
            String name,
            Path canonicalOut,
            CanonicalSink.Opener sinks)
            throws SQLException, IOException {
        int width = kinds.size();
        List<String> names = ColumnNames.normalise(rawNames);
        List<String> columns =
                rawNames.stream().map(ParquetTableReader::identifier).toList();
        long rows;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + source)) { // from the footer
            rs.next();
            rows = rs.getLong(1);
        }
        if (rows == 0) {
            return Optional.empty();
        }
        if (rows > options.maxCells() / width) {
            throw new TooManyCellsException(options.maxCells());
        }
        Column[] passes = new Column[width];
        List<String> select = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            Optional<Column> column = column(db, source, i, names.get(i), columns.get(i), types.get(i), kinds.get(i));
            if (column.isEmpty()) {
                return Optional.empty();
            }
            passes[i] = column.get();
            select.add(passes[i].expression);
        }
        boolean lineBreaks = names.stream().anyMatch(CanonicalCsvWriter::breaksLine);
        List<ColumnSchema> schema = new ArrayList<>(width);
        List<IntegerValues> integers = new ArrayList<>(width);
        List<Map<String, Object>> sample;
        // the sink is told the file is whole once nothing can fail any more: a failure leaves the table to a slower
        // route, which writes the file again
        CanonicalSink sink = sinks.open(canonicalOut, name).orElse(null);
        boolean whole = false;
        try {
            write(db, "SELECT " + String.join(", ", select) + " FROM " + source, names, passes, canonicalOut, sink);
            for (Column column : passes) {
                Optional<ColumnSchema> profiled = column.schema(rows);
                if (profiled.isEmpty()) {
                    return Optional.empty();
                }
                ColumnSchema s = profiled.get();
                schema.add(s);
                integers.add(column instanceof Integers ints && s.type() == PandasType.INT64 ? ints.seen : null);
                lineBreaks |= column instanceof Texts texts && texts.breaksLine;
            }
            sample = NativeCopy.sample(options, db, source, rawNames, names, columns, kinds, schema);
            whole = true;
        } catch (StepAside e) {
            return Optional.empty();
        } finally {
            ended(sink, whole);
        }
        // as the row-by-row reader's: the drafts read the other columns line by line, so with a line break in a text
        // (lines are not records) they read the file instead
        FoldedIntegers folded = lineBreaks ? null : new FoldedIntegers(integers, false);
        return Optional.of(
                new ParsedTable(new DatasetSchema(name, rows, schema, sample), canonicalOut, List.of(""), folded));
    }

    /** The sink is told the file is whole, or that it will not be (the route stepped aside, or failed). */
    private static void ended(CanonicalSink sink, boolean whole) throws IOException {
        if (sink == null) {
            return;
        }
        if (whole) {
            sink.complete();
        } else {
            sink.abandon();
        }
    }

    private Optional<Column> column(Connection db, String source, int i, String name, String c, String type, Kind kind)
            throws SQLException {
        return switch (kind) {
            case INT -> Optional.of(new Integers(name, "CAST(" + c + " AS BIGINT)"));
            case FLOAT32 -> Optional.of(new Floats(name, "CAST(" + c + " AS FLOAT)", true));
            case FLOAT64 -> Optional.of(new Floats(name, "CAST(" + c + " AS DOUBLE)", false));
            case DECIMAL -> decimals(name, c, type);
            case BOOL -> Optional.of(new Bools(name, c));
            case DATE -> Optional.of(new Dates(name, "(" + c + " - DATE '1970-01-01')"));
            case TIMESTAMP, TIMESTAMP_NS ->
                Optional.of(new Timestamps(name, ParquetTableReader.expression(c, kind), kind));
            case VARCHAR -> texts(db, source, i, name, c);
            default -> throw new IllegalStateException(kind.name());
        };
    }

    private static Optional<Column> decimals(String name, String c, String type) {
        Matcher m = DECIMAL.matcher(type);
        if (!m.matches() || Integer.parseInt(m.group(1)) > 18) {
            return Optional.empty();
        }
        int scale = Integer.parseInt(m.group(2));
        // the unscaled value: exact, as decimal arithmetic is
        String unscaled = scale == 0 ? c : c + " * CAST(1" + "0".repeat(scale) + " AS BIGINT)";
        return Optional.of(new Decimals(name, "CAST(" + unscaled + " AS BIGINT)", scale));
    }

    /**
     * A text column as the codes of an ENUM type of its distinct values (empty texts are missing values); empty when
     * it has more than the bound of them (already among its first rows, most often, so that a column of names or
     * identifiers is not grouped whole) or a cell longer than the limit.
     */
    private Optional<Column> texts(Connection db, String source, int i, String name, String c) throws SQLException {
        int bound = options.distinctBound();
        String type = "llm_text_" + i;
        List<String> values = new ArrayList<>();
        try (Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(DISTINCT " + c + ") FROM (SELECT " + c + " FROM " + source
                    + " LIMIT " + FIRST_ROWS + ") WHERE " + c + " <> ''")) {
                if (rs.next() && rs.getLong(1) > bound) {
                    return Optional.empty();
                }
            }
            st.execute("CREATE TYPE " + type + " AS ENUM (SELECT DISTINCT " + c + " FROM " + source + " WHERE " + c
                    + " <> '' LIMIT " + (bound + 1) + ")");
            try (ResultSet rs = st.executeQuery("SELECT unnest(enum_range(NULL::" + type + "))")) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        if (values.size() > bound
                || values.stream().anyMatch(v -> v.getBytes(StandardCharsets.UTF_8).length > limits.maxCellChars())) {
            return Optional.empty();
        }
        String expression = values.isEmpty()
                ? "CAST(NULL AS INTEGER)"
                : "CAST(enum_code(CAST(NULLIF(" + c + ", '') AS " + type + ")) AS INTEGER)";
        return Optional.of(new Texts(name, expression, values));
    }

    /** The pass: every row fetched as numbers and written as the canonical CSV's record, every column profiled. */
    private static void write(
            Connection db, String sql, List<String> names, Column[] columns, Path out, CanonicalSink sink)
            throws SQLException, IOException, StepAside {
        int width = columns.length;
        try (Statement st = db.createStatement();
                CsvBytes csv = new CsvBytes(Files.newOutputStream(out), sink)) {
            st.setFetchSize(FETCH_ROWS);
            for (int i = 0; i < width; i++) {
                if (i > 0) {
                    csv.put((byte) ',');
                }
                csv.put(CanonicalCsvWriter.field(names.get(i)).getBytes(StandardCharsets.UTF_8));
            }
            csv.put((byte) '\n');
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    for (int i = 0; i < width; i++) {
                        if (i > 0) {
                            csv.put((byte) ',');
                        }
                        if (!columns[i].write(rs, i + 1, csv) && width == 1) {
                            // a blank line is no record to pandas: a row of one missing value is a quoted empty field
                            csv.put((byte) '"');
                            csv.put((byte) '"');
                        }
                    }
                    csv.put((byte) '\n');
                }
            }
        }
    }

    /** One column's pass: its SQL expression, how a value is written, what the profile gathers. */
    private abstract static class Column {
        final String name;
        final String expression;
        /** Values that are not missing. */
        long values;

        Column(String name, String expression) {
            this.name = name;
            this.expression = expression;
        }

        /** Writes the current row's value (nothing for a missing one); whether there was one. */
        abstract boolean write(ResultSet rs, int at, CsvBytes out) throws SQLException, IOException, StepAside;

        /**
         * The column once every row is written: its dtype and profile, as the row-by-row reader gives them; empty when
         * it is not what the row-by-row reader would give (a date out of datetime64[ns]'s range).
         */
        final Optional<ColumnSchema> schema(long rows) {
            long nulls = rows - values;
            if (values == 0) {
                PandasType t = PandasType.FLOAT64;
                return Optional.of(new ColumnSchema(name, t, nulls, NativeCopy.empty(t, nulls)));
            }
            return profiled(nulls);
        }

        abstract Optional<ColumnSchema> profiled(long nulls);
    }

    /** Numeric moments as the row-by-row profile computes them (Welford), over finite values. */
    private abstract static class Numbers extends Column {
        private double mean;
        private double m2;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;

        Numbers(String name, String expression) {
            super(name, expression);
        }

        final void add(double v) {
            values++;
            double delta = v - mean;
            mean += delta / values;
            m2 += delta * (v - mean);
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }

        Optional<ColumnSchema> numbers(PandasType t, long nulls) {
            Double std = values > 1 ? Math.sqrt(m2 / (values - 1)) : null;
            return Optional.of(new ColumnSchema(
                    name,
                    t,
                    nulls,
                    new ColumnProfile(t.dtype(), nulls, min, max, mean, std, null, null, null, null, null)));
        }

        @Override
        Optional<ColumnSchema> profiled(long nulls) {
            return numbers(PandasType.FLOAT64, nulls);
        }
    }

    private static final class Integers extends Numbers {
        /** What the drafts need, while the column has no missing value (int64). */
        final IntegerValues seen = new IntegerValues();

        Integers(String name, String expression) {
            super(name, expression);
        }

        @Override
        boolean write(ResultSet rs, int at, CsvBytes out) throws SQLException, IOException {
            long v = rs.getLong(at);
            if (rs.wasNull()) {
                return false;
            }
            out.digits(v);
            add(v);
            seen.add(v);
            return true;
        }

        @Override
        Optional<ColumnSchema> profiled(long nulls) {
            return numbers(nulls == 0 ? PandasType.INT64 : PandasType.FLOAT64, nulls);
        }
    }

    private static final class Floats extends Numbers {
        private final boolean single;

        Floats(String name, String expression, boolean single) {
            super(name, expression);
            this.single = single;
        }

        @Override
        boolean write(ResultSet rs, int at, CsvBytes out) throws SQLException, IOException, StepAside {
            double v;
            if (single) {
                float f = rs.getFloat(at);
                if (rs.wasNull() || Float.isNaN(f)) {
                    return false;
                }
                if (Float.isInfinite(f)) {
                    throw new StepAside(); // refused by the row-by-row reader, which names the row
                }
                String text = Float.toString(f);
                out.ascii(text);
                v = Double.parseDouble(text); // the row-by-row reader profiles the text it writes
            } else {
                v = rs.getDouble(at);
                if (rs.wasNull() || Double.isNaN(v)) {
                    return false;
                }
                if (Double.isInfinite(v)) {
                    throw new StepAside();
                }
                out.javaText(v);
            }
            add(v);
            return true;
        }
    }

    /** Decimals of up to 18 digits, unscaled: written as DuckDB writes them ({@code -0.50}), profiled as their text. */
    private static final class Decimals extends Numbers {
        private final int scale;
        private final double divisor;

        Decimals(String name, String expression, int scale) {
            super(name, expression);
            this.scale = scale;
            this.divisor = POWERS[scale];
        }

        @Override
        boolean write(ResultSet rs, int at, CsvBytes out) throws SQLException, IOException {
            long u = rs.getLong(at);
            if (rs.wasNull()) {
                return false;
            }
            out.scaled(u < 0, Math.abs(u), scale);
            // an unscaled value below 2^53 and a power of ten up to 10^18 are exact doubles: their quotient is the
            // double nearest the decimal, as parsing its text gives; past that, its text is parsed
            add(
                    Math.abs(u) < (1L << 53)
                            ? u / divisor
                            : Double.parseDouble(BigDecimal.valueOf(u, scale).toPlainString()));
            return true;
        }
    }

    private final class Bools extends Column {
        private long trues;

        Bools(String name, String expression) {
            super(name, expression);
        }

        @Override
        boolean write(ResultSet rs, int at, CsvBytes out) throws SQLException, IOException {
            boolean v = rs.getBoolean(at);
            if (rs.wasNull()) {
                return false;
            }
            out.put(v ? TRUE : FALSE);
            values++;
            if (v) {
                trues++;
            }
            return true;
        }

        @Override
        Optional<ColumnSchema> profiled(long nulls) {
            PandasType t = nulls == 0 ? PandasType.BOOL : PandasType.OBJECT;
            List<ValueCount> counts = new ArrayList<>();
            if (trues > 0) {
                counts.add(new ValueCount("True", trues));
            }
            if (values - trues > 0) {
                counts.add(new ValueCount("False", values - trues));
            }
            return Optional.of(
                    new ColumnSchema(name, t, nulls, NativeCopy.distinct(options, t, nulls, counts.size(), counts)));
        }
    }

    /** Dates and timestamps: their range is checked once every row is written. */
    private abstract static class Dated extends Column {
        private final Kind kind;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;

        Dated(String name, String expression, Kind kind) {
            super(name, expression);
            this.kind = kind;
        }

        final void range(long v) {
            values++;
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }

        @Override
        Optional<ColumnSchema> profiled(long nulls) {
            return kind == Kind.DATE
                    ? NativeCopy.dates(
                            kind,
                            name,
                            nulls,
                            LocalDate.ofEpochDay(min).toString(),
                            LocalDate.ofEpochDay(max).toString())
                    : NativeCopy.dates(kind, name, nulls, min, max);
        }
    }

    /** Dates as days since 1970-01-01, written as ISO dates (DuckDB's text in datetime64[ns]'s range). */
    private static final class Dates extends Dated {
        private static final int CACHED = 4096;
        private final long[] days = new long[CACHED];
        private final byte[][] texts = new byte[CACHED][];

        Dates(String name, String expression) {
            super(name, expression, Kind.DATE);
        }

        @Override
        boolean write(ResultSet rs, int at, CsvBytes out) throws SQLException, IOException {
            long day = rs.getLong(at);
            if (rs.wasNull()) {
                return false;
            }
            int slot = (int) (day & (CACHED - 1));
            byte[] text = texts[slot];
            if (text == null || days[slot] != day) {
                text = LocalDate.ofEpochDay(day).toString().getBytes(StandardCharsets.US_ASCII);
                texts[slot] = text;
                days[slot] = day;
            }
            out.put(text);
            range(day);
            return true;
        }
    }

    /** Timestamps in epoch microseconds or nanoseconds, written as the row-by-row reader writes them. */
    private static final class Timestamps extends Dated {
        private final boolean nanos;

        Timestamps(String name, String expression, Kind kind) {
            super(name, expression, kind);
            this.nanos = kind == Kind.TIMESTAMP_NS;
        }

        @Override
        boolean write(ResultSet rs, int at, CsvBytes out) throws SQLException, IOException, StepAside {
            long v = rs.getLong(at);
            if (rs.wasNull()) {
                return false;
            }
            Instant t = nanos
                    ? Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L))
                    : Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000L);
            try {
                out.ascii(ParquetTableReader.timestamp(t, name, values + 1));
            } catch (ProblemException e) {
                throw new StepAside(); // a value DuckDB cannot decode: the row-by-row reader refuses it, naming it
            }
            range(v);
            return true;
        }
    }

    /** Text as codes of its distinct values, each written from its bytes as the canonical writer quotes it. */
    private final class Texts extends Column {
        private final List<String> distinct;
        private final byte[][] fields;
        private final long[] counts;
        final boolean breaksLine;

        Texts(String name, String expression, List<String> distinct) {
            super(name, expression);
            this.distinct = distinct;
            this.fields = new byte[distinct.size()][];
            this.counts = new long[distinct.size()];
            boolean breaks = false;
            for (int i = 0; i < fields.length; i++) {
                fields[i] = CanonicalCsvWriter.field(distinct.get(i)).getBytes(StandardCharsets.UTF_8);
                breaks |= CanonicalCsvWriter.breaksLine(distinct.get(i));
            }
            this.breaksLine = breaks;
        }

        @Override
        boolean write(ResultSet rs, int at, CsvBytes out) throws SQLException, IOException {
            int code = rs.getInt(at);
            if (rs.wasNull()) {
                return false;
            }
            out.put(fields[code]);
            counts[code]++;
            values++;
            return true;
        }

        @Override
        Optional<ColumnSchema> profiled(long nulls) {
            List<ValueCount> seen = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    seen.add(new ValueCount(distinct.get(i), counts[i]));
                }
            }
            PandasType t = PandasType.OBJECT;
            return Optional.of(
                    new ColumnSchema(name, t, nulls, NativeCopy.distinct(options, t, nulls, seen.size(), seen)));
        }
    }

    /**
     * The canonical file's bytes, gathered in a buffer of 1 MiB; a full buffer is written out by a thread of its own
     * while the pass fills the other one.
     */
    static final class CsvBytes implements AutoCloseable {
        private static final int SIZE = 1 << 20;
        private final OutputStream out;
        private final CanonicalSink sink;
        private byte[] buffer = new byte[SIZE];
        private byte[] spare = new byte[SIZE];
        private int at;
        /** Writing the previous buffer out, or null. */
        private Thread writing;

        private volatile IOException failed;

        /** What writes to {@code out}, and sends the same bytes to {@code sink} (null: none). */
        CsvBytes(OutputStream out, CanonicalSink sink) {
            this.out = out;
            this.sink = sink;
        }

        /** Writes out and sends to the sink. */
        private void emit(byte[] bytes, int from, int length) throws IOException {
            out.write(bytes, from, length);
            if (sink != null) {
                sink.write(bytes, from, length);
            }
        }

        /** Makes room for {@code n} bytes (handing what is gathered over to be written) where it fits in the buffer. */
        void room(int n) throws IOException {
            if (at + n > buffer.length) {
                written();
                byte[] full = buffer;
                int length = at;
                buffer = spare;
                spare = full;
                at = 0;
                writing = Thread.ofVirtual().start(() -> {
                    try {
                        emit(full, 0, length);
                    } catch (IOException e) {
                        failed = e;
                    }
                });
            }
        }

        /** Waits until the buffer handed over is written out. */
        private void written() throws IOException {
            if (writing != null) {
                try {
                    writing.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while the canonical file was written");
                }
                writing = null;
            }
            if (failed != null) {
                throw new IOException(failed.getMessage(), failed);
            }
        }

        void put(byte b) throws IOException {
            room(1);
            buffer[at++] = b;
        }

        void put(byte[] bytes) throws IOException {
            put(bytes, 0, bytes.length);
        }

        void put(byte[] bytes, int from, int length) throws IOException {
            room(length);
            if (length > buffer.length) {
                written();
                emit(bytes, from, length);
                return;
            }
            System.arraycopy(bytes, from, buffer, at, length);
            at += length;
        }

        /** An ASCII text (the text of a number or a timestamp). */
        void ascii(String s) throws IOException {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) {
                buffer[at++] = (byte) s.charAt(i);
            }
        }

        /**
         * {@link Double#toString(double)} of a finite {@code v}, without building it where a short decimal is {@code v}:
         * in plain notation (from 10^-3 to 10^7) Java writes the decimal of fewest digits that reads back as
         * {@code v}, with at least one digit after the point. A decimal {@code m / 10^k} of at most 15 significant
         * digits is the only one of its length that does (DBL_DIG), the division of two exact doubles reads it back
         * (rounded once, as parsing rounds), and {@code rint(v * 10^k)} finds {@code m} (its error is below a quarter).
         * So the first {@code k} from 0 up whose {@code m} reads back gives Java's digits; other values are written by
         * {@link Double#toString(double)}.
         */
        void javaText(double v) throws IOException {
            double a = Math.abs(v);
            if (a >= 1e-3 && a < 1e7) {
                for (int k = 0; k < SHORT_DECIMALS; k++) {
                    double m = Math.rint(a * POWERS[k]);
                    if (m < 1e15 && m / POWERS[k] == a) {
                        scaled(v < 0, (long) m, k);
                        if (k == 0) {
                            put((byte) '.');
                            put((byte) '0');
                        }
                        return;
                    }
                }
            }
            ascii(Double.toString(v));
        }

        /**
         * {@code m / 10^k} ({@code m} not negative) in plain notation, as DuckDB writes a decimal of scale {@code k}:
         * {@code k} digits after the point ({@code 0.05}, {@code -12.50}), no point when {@code k} is 0. Its length is
         * known first, so the digits are written in place from the last, two at a time.
         */
        void scaled(boolean negative, long m, int k) throws IOException {
            int width = (negative ? 1 : 0) + Math.max(length(m), k + 1) + (k > 0 ? 1 : 0);
            room(width);
            byte[] b = buffer;
            int end = at + width;
            int i = end;
            long rest = m;
            int fraction = k;
            for (; fraction >= 2; fraction -= 2) {
                i = twoDigits(b, i, (int) (rest % 100));
                rest /= 100;
            }
            if (fraction == 1) {
                b[--i] = (byte) ('0' + rest % 10);
                rest /= 10;
            }
            if (k > 0) {
                b[--i] = '.';
            }
            while (rest >= 100) {
                i = twoDigits(b, i, (int) (rest % 100));
                rest /= 100;
            }
            if (rest >= 10) {
                i = twoDigits(b, i, (int) rest);
            } else {
                b[--i] = (byte) ('0' + rest);
            }
            if (negative) {
                b[--i] = '-';
            }
            at = end;
        }

        /** Writes the two digits of {@code n} (below 100) just before {@code end}; where they start. */
        private static int twoDigits(byte[] b, int end, int n) {
            b[end - 1] = PAIRS[2 * n + 1];
            b[end - 2] = PAIRS[2 * n];
            return end - 2;
        }

        /** How many decimal digits {@code m} (not negative) has. */
        private static int length(long m) {
            int n = 1;
            for (long p = 10; n < 19 && m >= p; p *= 10) {
                n++;
            }
            return n;
        }

        /** The decimal digits of {@code v}, as {@link Long#toString(long)} writes them. */
        void digits(long v) throws IOException {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            scaled(v < 0, Math.abs(v), 0);
        }

        @Override
        public void close() throws IOException {
            try (out) {
                written();
                emit(buffer, 0, at);
            }
        }
    }
}
