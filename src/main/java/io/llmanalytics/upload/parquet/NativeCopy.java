package io.llmanalytics.upload.parquet;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.schema.CellConventions;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ColumnNames;
import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.DateFormats;
import io.llmanalytics.schema.FoldedIntegers;
import io.llmanalytics.schema.IntegerValues;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.SampleValues;
import io.llmanalytics.schema.TooManyCellsException;
import io.llmanalytics.schema.ValueCount;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.TypedCells;
import io.llmanalytics.upload.parquet.ParquetTableReader.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fast path of {@link ParquetTableReader} for tables of plain columns (integers, floats, decimals, booleans, dates,
 * timestamps, text): DuckDB writes the canonical CSV itself ({@code COPY ... TO ... (FORMAT CSV)}, in C++, in
 * parallel, row order kept) and computes the profile with one aggregate query, instead of every cell crossing JDBC as
 * a String. The canonical text is what the row-by-row reader writes, or text pandas parses to the same value (floats
 * in DuckDB's shortest round-trip form, timestamps as ISO text); booleans, decimals, dates and empty strings exactly as
 * it writes them. The profile is the row-by-row one (same dtypes, nulls, min/max, date range, distinct values and top
 * values, computed exactly up to the distinct bound), except that means and standard deviations come from DuckDB's
 * aggregates (they may differ from the streaming ones in the last bits) and that a text column past the distinct bound
 * gets its exact distinct count and top values (the streaming counter estimates them). The sample is read row by row
 * as before. The integer columns the dictionary drafts need come from queries too ({@link FoldedIntegers}), so that the
 * drafts do not scan the copy.
 *
 * <p>Anything it cannot reproduce exactly makes it step aside (an empty result): other column types (nested, huge
 * integers, intervals...), an infinity, a date or timestamp outside datetime64[ns]'s range, a cell longer than the cell
 * limit, no rows, or any error DuckDB reports (the row-by-row reader then names the problem precisely).
 */
final class NativeCopy {

    private static final Set<Kind> PLAIN = EnumSet.of(
            Kind.INT,
            Kind.FLOAT32,
            Kind.FLOAT64,
            Kind.DECIMAL,
            Kind.BOOL,
            Kind.TIMESTAMP,
            Kind.TIMESTAMP_NS,
            Kind.DATE,
            Kind.VARCHAR);

    private final ProfileOptions options;
    private final TableLimits limits;

    NativeCopy(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    static boolean applies(List<Kind> kinds) {
        return !kinds.isEmpty() && PLAIN.containsAll(kinds);
    }

    /** The table, or empty when the row-by-row reader must read it. */
    Optional<ParsedTable> read(
            Connection db,
            String source,
            String numbered,
            List<String> rawNames,
            List<Kind> kinds,
            String name,
            Path canonicalOut)
            throws SQLException {
        int width = kinds.size();
        List<String> names = ColumnNames.normalise(rawNames);
        List<String> columns =
                rawNames.stream().map(ParquetTableReader::identifier).toList();
        ResultSetValues agg = aggregates(db, source, columns, kinds);
        long rows = agg.rows;
        if (rows == 0) {
            return Optional.empty();
        }
        if (rows > options.maxCells() / width) {
            throw new TooManyCellsException(options.maxCells());
        }
        List<ColumnSchema> schema = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            Optional<ColumnSchema> column = column(db, source, names.get(i), columns.get(i), kinds.get(i), agg, i);
            if (column.isEmpty()) {
                return Optional.empty();
            }
            schema.add(column.get());
        }
        List<Map<String, Object>> sample = sample(options, db, source, rawNames, names, columns, kinds, schema);
        copy(db, source, names, columns, kinds, canonicalOut);
        return Optional.of(new ParsedTable(
                new DatasetSchema(name, rows, schema, sample),
                canonicalOut,
                List.of(""),
                integers(db, numbered, rows, names, columns, kinds, schema)));
    }

    /**
     * What the dictionary drafts need of the integer columns (int64, no missing value), as a pass over the canonical
     * copy would gather them ({@link FoldedIntegers}), from queries over {@code numbered} (the source with each row's
     * {@code file_row_number}: the copy keeps that order); null, so that the drafts scan the copy, when the copy's
     * lines are not its records (a text or a name holds a line break) or a query fails.
     */
    private static FoldedIntegers integers(
            Connection db,
            String numbered,
            long rows,
            List<String> names,
            List<String> columns,
            List<Kind> kinds,
            List<ColumnSchema> schema) {
        List<Integer> ints = new ArrayList<>();
        List<String> breaks = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) == Kind.INT && schema.get(i).type() == PandasType.INT64) {
                ints.add(i);
            } else if (kinds.get(i) == Kind.VARCHAR) {
                breaks.add("contains(" + columns.get(i) + ", chr(10)) OR contains(" + columns.get(i) + ", chr(13))");
            }
        }
        if (ints.isEmpty() || names.stream().anyMatch(n -> n.indexOf('\n') >= 0 || n.indexOf('\r') >= 0)) {
            return null;
        }
        try (Statement st = db.createStatement()) {
            if (!breaks.isEmpty()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT 1 FROM " + numbered + " WHERE "
                        + String.join(" OR ", breaks) + " LIMIT 1)")) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        return null;
                    }
                }
            }
            List<String> order = new ArrayList<>();
            List<String> lags = new ArrayList<>(List.of("file_row_number"));
            for (int i : ints) {
                order.add("coalesce(bool_and(c" + i + " > p" + i + "), true)");
                order.add("arg_max(c" + i + ", file_row_number)");
                lags.add(columns.get(i) + " AS c" + i);
                lags.add("lag(" + columns.get(i) + ") OVER (ORDER BY file_row_number) AS p" + i);
            }
            boolean[] increasing = new boolean[ints.size()];
            long[] last = new long[ints.size()];
            try (ResultSet rs = st.executeQuery("SELECT " + String.join(", ", order) + " FROM (SELECT "
                    + String.join(", ", lags) + " FROM " + numbered + ")")) {
                rs.next();
                for (int j = 0; j < ints.size(); j++) {
                    increasing[j] = rs.getBoolean(1 + 2 * j);
                    last[j] = rs.getLong(2 + 2 * j);
                }
            }
            List<IntegerValues> byIndex = new ArrayList<>(Collections.nCopies(kinds.size(), null));
            for (int j = 0; j < ints.size(); j++) {
                long[] first = firstDistinct(st, numbered, columns.get(ints.get(j)));
                byIndex.set(ints.get(j), IntegerValues.of(first, rows, increasing[j], last[j]));
            }
            return new FoldedIntegers(byIndex, false);
        } catch (SQLException e) {
            return null;
        }
    }

    /** A column's first {@value IntegerValues#KEPT} distinct values, in the order of their first row. */
    private static long[] firstDistinct(Statement st, String numbered, String c) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT " + c + " FROM " + numbered + " GROUP BY " + c
                + " ORDER BY min(file_row_number) LIMIT " + IntegerValues.KEPT)) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** One row of aggregates: {@code values[i]} holds column i's figures in the order {@link #figures} gives. */
    private record ResultSetValues(long rows, List<Object[]> values) {}

    private static List<String> figures(String c, Kind kind) {
        String x = switch (kind) {
            case FLOAT32, DECIMAL -> "CAST(CAST(" + c + " AS VARCHAR) AS DOUBLE)";
            default -> c;
        };
        return switch (kind) {
            case INT ->
                List.of(
                        "count(" + c + ")",
                        "min(" + c + ")",
                        "max(" + c + ")",
                        "avg(" + c + ")",
                        "stddev_samp(" + c + ")");
            case FLOAT32, FLOAT64, DECIMAL -> {
                String ok = " FILTER (WHERE NOT isnan(" + x + "))";
                yield List.of(
                        "count(" + c + ") - count(*) FILTER (WHERE isnan(" + x + "))",
                        "min(" + x + ")" + ok,
                        "max(" + x + ")" + ok,
                        "avg(" + x + ")" + ok,
                        "stddev_samp(" + x + ")" + ok,
                        // Infinities (refused by the row-by-row reader, naming the row) and subnormal numbers (whose
                        // shortest text Java may choose differently) go the row-by-row way.
                        "count(*) FILTER (WHERE isinf(" + x + ") OR (" + c + " <> 0 AND abs(CAST(" + c
                                + " AS DOUBLE)) < "
                                + (kind == Kind.FLOAT32 ? "1.1754943508222875e-38" : "2.2250738585072014e-308")
                                + "))");
            }
            case BOOL ->
                List.of(
                        "count(" + c + ")",
                        "count(*) FILTER (WHERE " + c + ")",
                        "count(*) FILTER (WHERE NOT " + c + ")");
            case DATE ->
                List.of("count(" + c + ")", "CAST(min(" + c + ") AS VARCHAR)", "CAST(max(" + c + ") AS VARCHAR)");
            case TIMESTAMP -> List.of("count(" + c + ")", "min(epoch_us(" + c + "))", "max(epoch_us(" + c + "))");
            case TIMESTAMP_NS -> List.of("count(" + c + ")", "min(epoch_ns(" + c + "))", "max(epoch_ns(" + c + "))");
            // an empty text is a missing value to the worker (the canonical copy cannot hold it apart), as it is to
            // the row-by-row profile
            case VARCHAR ->
                List.of(
                        "count(nullif(" + c + ", ''))",
                        "max(strlen(" + c + "))",
                        "approx_count_distinct(nullif(" + c + ", ''))");
            default -> throw new IllegalStateException(kind.name());
        };
    }

    private static ResultSetValues aggregates(Connection db, String source, List<String> columns, List<Kind> kinds)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            List<String> f = figures(columns.get(i), kinds.get(i));
            widths.add(f.size());
            for (String e : f) {
                sql.append(", ").append(e);
            }
        }
        sql.append(" FROM ").append(source);
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            long rows = rs.getLong(1);
            List<Object[]> values = new ArrayList<>();
            int at = 2;
            for (int w : widths) {
                Object[] v = new Object[w];
                for (int j = 0; j < w; j++) {
                    v[j] = rs.getObject(at++);
                }
                values.add(v);
            }
            return new ResultSetValues(rows, values);
        }
    }

    private Optional<ColumnSchema> column(
            Connection db, String source, String name, String c, Kind kind, ResultSetValues agg, int i)
            throws SQLException {
        Object[] v = agg.values.get(i);
        long values = number(v[0]).longValue();
        long nulls = agg.rows - values;
        if (values == 0) {
            PandasType t = PandasType.FLOAT64;
            return Optional.of(new ColumnSchema(name, t, nulls, empty(t, nulls)));
        }
        switch (kind) {
            case INT, FLOAT32, FLOAT64, DECIMAL -> {
                if (kind != Kind.INT && number(v[5]).longValue() > 0) {
                    return Optional.empty();
                }
                PandasType t = kind == Kind.INT && nulls == 0 ? PandasType.INT64 : PandasType.FLOAT64;
                Double std = values > 1 && v[4] != null ? number(v[4]).doubleValue() : null;
                return Optional.of(new ColumnSchema(
                        name,
                        t,
                        nulls,
                        new ColumnProfile(
                                t.dtype(),
                                nulls,
                                number(v[1]).doubleValue(),
                                number(v[2]).doubleValue(),
                                number(v[3]).doubleValue(),
                                std,
                                null,
                                null,
                                null,
                                null,
                                null)));
            }
            case BOOL -> {
                PandasType t = nulls == 0 ? PandasType.BOOL : PandasType.OBJECT;
                List<ValueCount> counts = new ArrayList<>();
                long trues = number(v[1]).longValue();
                long falses = number(v[2]).longValue();
                if (trues > 0) {
                    counts.add(new ValueCount("True", trues));
                }
                if (falses > 0) {
                    counts.add(new ValueCount("False", falses));
                }
                return Optional.of(new ColumnSchema(name, t, nulls, distinct(t, nulls, counts.size(), counts)));
            }
            case DATE, TIMESTAMP, TIMESTAMP_NS -> {
                return dates(kind, name, nulls, v[1], v[2]);
            }
            case VARCHAR -> {
                if (number(v[1]).longValue() > limits.maxCellChars()) {
                    return Optional.empty();
                }
                return Optional.of(text(db, source, name, c, nulls, number(v[2]).longValue()));
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    /**
     * A column of dates or timestamps from its least and greatest values ({@code min}, {@code max}: ISO text for dates,
     * epoch units for timestamps, as {@link #figures} gives them): datetime64[ns], or
     * empty when a value lies outside its range (the row-by-row reader then keeps the column as text or refuses it).
     */
    static Optional<ColumnSchema> dates(Kind kind, String name, long nulls, Object min, Object max) {
        String first;
        String last;
        if (kind == Kind.DATE) {
            first = (String) min;
            last = (String) max;
        } else {
            try {
                first = ParquetTableReader.timestamp(instant(kind, number(min).longValue()), name, 0);
                last = ParquetTableReader.timestamp(instant(kind, number(max).longValue()), name, 0);
            } catch (ProblemException e) {
                return Optional.empty();
            }
        }
        if (TypedCells.dateKind(first) != CellKind.DATE || TypedCells.dateKind(last) != CellKind.DATE) {
            return Optional.empty();
        }
        long from = DateFormats.parse(first);
        long to = DateFormats.parse(last);
        if (from == Long.MIN_VALUE || to == Long.MIN_VALUE) {
            return Optional.empty();
        }
        PandasType t = PandasType.DATETIME64;
        return Optional.of(new ColumnSchema(name, t, nulls, ColumnProfile.dates(t.dtype(), nulls, from, to)));
    }

    /**
     * A text column's distinct values: up to the bound, every value's count (top values ordered as the streaming
     * counter orders them); past it, the exact number of distinct values and the exact top values (where the
     * streaming counter, holding only the bound in memory, estimates), from one grouping DuckDB may spill to disk.
     */
    private ColumnSchema text(Connection db, String source, String name, String c, long nulls, long estimate)
            throws SQLException {
        int bound = options.distinctBound();
        PandasType t = PandasType.OBJECT;
        if (estimate <= 2L * bound) {
            List<ValueCount> counts = new ArrayList<>();
            groups(
                    db,
                    "SELECT " + c + ", count(*), 0 FROM " + source + " WHERE " + c + " <> '' GROUP BY " + c + " LIMIT "
                            + (bound + 1),
                    counts);
            if (counts.size() <= bound) {
                return new ColumnSchema(name, t, nulls, distinct(t, nulls, counts.size(), counts));
            }
        }
        List<ValueCount> top = new ArrayList<>();
        long distinct = groups(
                db,
                "SELECT v, n, count(*) OVER () FROM (SELECT " + c + " AS v, count(*) AS n FROM " + source + " WHERE "
                        + c + " <> '' GROUP BY " + c + ") ORDER BY n DESC, v LIMIT " + options.topValues(),
                top);
        return new ColumnSchema(name, t, nulls, distinct(t, nulls, distinct, top));
    }

    /** Adds the (value, count) rows of {@code sql} to {@code out}; returns the third column of the last row. */
    private static long groups(Connection db, String sql, List<ValueCount> out) throws SQLException {
        long third = 0;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new ValueCount(rs.getString(1), rs.getLong(2)));
                third = rs.getLong(3);
            }
        }
        return third;
    }

    /** The profile of a text or boolean column; top values as the streaming counter orders them. */
    ColumnProfile distinct(PandasType t, long nulls, long distinct, List<ValueCount> counts) {
        return distinct(options, t, nulls, distinct, counts);
    }

    static ColumnProfile distinct(
            ProfileOptions options, PandasType t, long nulls, long distinct, List<ValueCount> counts) {
        List<ValueCount> top = counts.stream()
                .sorted(Comparator.comparingLong((ValueCount e) -> -e.count()).thenComparing(ValueCount::value))
                .limit(options.topValues())
                .toList();
        return new ColumnProfile(t.dtype(), nulls, null, null, null, null, distinct, null, top, null, null);
    }

    static ColumnProfile empty(PandasType t, long nulls) {
        return new ColumnProfile(t.dtype(), nulls, null, null, null, null, null, null, null, null, null);
    }

    private static Instant instant(Kind kind, long v) {
        return kind == Kind.TIMESTAMP
                ? Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000L)
                : Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
    }

    static Number number(Object o) {
        return o instanceof Number n ? n : Long.valueOf(o == null ? 0 : Long.parseLong(o.toString()));
    }

    /** The first rows, read and typed exactly as the row-by-row reader's sample. */
    static List<Map<String, Object>> sample(
            ProfileOptions options,
            Connection db,
            String source,
            List<String> rawNames,
            List<String> names,
            List<String> columns,
            List<Kind> kinds,
            List<ColumnSchema> schema)
            throws SQLException {
        int width = kinds.size();
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < width; i++) {
            select.append(i == 0 ? "" : ", ").append(ParquetTableReader.expression(columns.get(i), kinds.get(i)));
        }
        select.append(" FROM ").append(source).append(" LIMIT ").append(options.sampleRows());
        List<Map<String, Object>> out = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(select.toString())) {
            String[] cells = new String[width];
            CellKind[] cellKinds = new CellKind[width];
            long row = 0;
            while (rs.next()) {
                row++;
                Map<String, Object> record = new LinkedHashMap<>();
                for (int i = 0; i < width; i++) {
                    ParquetTableReader.read(rs, i, kinds.get(i), rawNames.get(i), row, cells, cellKinds);
                    String cell = cells[i] == null || cellKinds[i] == CellKind.NULL ? "" : cells[i];
                    record.put(
                            names.get(i), SampleValues.typed(cell, schema.get(i).type(), CellConventions.TEXT));
                }
                out.add(record);
            }
        }
        return out;
    }

    /**
     * Java's {@link Double#toString} (and {@link Float#toString}) form of DuckDB's shortest text of a float: the same
     * digits, written in plain notation from 10^-3 to 10^7 and as {@code d.dddE-n} outside. pandas' default float
     * parser reads different notations of the same digits differently (it keeps 17 digits, leading zeros of a
     * fraction included), so the canonical text of a float must be written exactly as the row-by-row reader writes it.
     * Built from a column's digits ({@code jf_digits} of its unsigned text) and decimal exponent ({@code jf_exp}).
     */
    private static final List<String> FLOAT_MACROS = List.of(
            "CREATE OR REPLACE TEMP MACRO jf_digits(a) AS"
                    + " rtrim(ltrim(replace(split_part(a, 'e', 1), '.', ''), '0'), '0')",
            "CREATE OR REPLACE TEMP MACRO jf_exp(a) AS CASE"
                    + " WHEN contains(a, 'e') THEN CAST(split_part(a, 'e', 2) AS INTEGER)"
                    + "   + length(split_part(split_part(a, 'e', 1), '.', 1)) - 1"
                    + " WHEN split_part(a, '.', 1) <> '0' THEN length(split_part(a, '.', 1)) - 1"
                    + " ELSE length(ltrim(split_part(a, '.', 2), '0')) - length(split_part(a, '.', 2)) - 1 END",
            "CREATE OR REPLACE TEMP MACRO jf_format(d, e) AS CASE"
                    + " WHEN d = '' THEN '0.0'"
                    + " WHEN e >= 7 OR e < -3 THEN d[1] || '.' || CASE WHEN length(d) > 1 THEN d[2:] ELSE '0' END"
                    + "   || 'E' || CAST(e AS VARCHAR)"
                    + " WHEN e >= 0 THEN CASE WHEN length(d) > e + 1 THEN d[1:e + 1] || '.' || d[e + 2:]"
                    + "   ELSE rpad(d, CAST(e + 1 AS INTEGER), '0') || '.0' END"
                    + " ELSE '0.' || repeat('0', -e - 1) || d END");

    /** DuckDB writes the canonical CSV: comma, RFC 4180 quoting, header, missing values as empty fields. */
    private static void copy(
            Connection db, String source, List<String> names, List<String> columns, List<Kind> kinds, Path out)
            throws SQLException {
        // Layer 1 reads each column as canonical text; floats then go through their digits and exponent (layers 2-3)
        // so that each piece is computed once per value.
        StringBuilder texts = new StringBuilder("SELECT ");
        StringBuilder parts = new StringBuilder("SELECT ");
        StringBuilder pieces = new StringBuilder("SELECT ");
        StringBuilder result = new StringBuilder("SELECT ");
        for (int i = 0; i < kinds.size(); i++) {
            String sep = i == 0 ? "" : ", ";
            String v = "v" + i;
            String name = ParquetTableReader.identifier(names.get(i));
            texts.append(sep)
                    .append(canonical(columns.get(i), kinds.get(i)))
                    .append(" AS ")
                    .append(v);
            if (kinds.get(i) == Kind.FLOAT32 || kinds.get(i) == Kind.FLOAT64) {
                // From 10^-3 to 10^7 (and zero) DuckDB's text already is Java's; only other values are rewritten.
                String c = columns.get(i);
                texts.append(", (abs(" + c + ") >= 0.001 AND abs(" + c + ") < 10000000) OR " + c + " = 0 AS p" + i);
                // the sign and the unsigned text only where they are needed: most values take the text as it is
                parts.append(sep)
                        .append("p" + i + ", " + v + ", CASE WHEN p" + i + " THEN NULL ELSE starts_with(" + v
                                + ", '-') END AS n" + i + ", CASE WHEN p" + i + " THEN NULL ELSE ltrim(" + v
                                + ", '-') END AS a" + i);
                pieces.append(sep)
                        .append("p" + i + ", " + v + ", n" + i + ", a" + i + ", CASE WHEN p" + i
                                + " THEN NULL ELSE jf_digits(a" + i + ") END AS d" + i + ", CASE WHEN p" + i
                                + " THEN NULL ELSE jf_exp(a" + i + ") END AS e" + i);
                result.append(sep)
                        .append("CASE WHEN " + v + " IS NULL THEN NULL WHEN p" + i + " THEN " + v
                                + " ELSE (CASE WHEN n" + i + " THEN '-' ELSE '' END) || jf_format(d" + i + ", e" + i
                                + ") END AS " + name);
            } else {
                parts.append(sep).append(v);
                pieces.append(sep).append(v);
                result.append(sep).append(v).append(" AS ").append(name);
            }
        }
        texts.append(" FROM ").append(source);
        String select = result + " FROM (" + pieces + " FROM (" + parts + " FROM (" + texts + ")))";
        try (Statement st = db.createStatement()) {
            for (String macro : FLOAT_MACROS) {
                st.execute(macro);
            }
            st.execute("COPY (" + select + ") TO " + ParquetTableReader.literal(out.toString())
                    + " (FORMAT CSV, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NULLSTR '')");
        }
    }

    /** The canonical text of a column, as the row-by-row reader writes it (or text pandas reads as the same value). */
    private static String canonical(String c, Kind kind) {
        return switch (kind) {
            case INT -> c;
            // DuckDB's text of a float has the shortest exact digits (its CSV writer keeps at most 16 decimals)
            case FLOAT32, FLOAT64 -> "CAST(CASE WHEN isnan(" + c + ") THEN NULL ELSE " + c + " END AS VARCHAR)";
            case DECIMAL, DATE -> "CAST(" + c + " AS VARCHAR)";
            case BOOL -> "CASE WHEN " + c + " THEN 'True' WHEN NOT " + c + " THEN 'False' END";
            case TIMESTAMP -> "CAST(CAST(" + c + " AS TIMESTAMP) AS VARCHAR)";
            case TIMESTAMP_NS -> "CAST(" + c + " AS VARCHAR)";
            case VARCHAR -> "NULLIF(" + c + ", '')";
            default -> throw new IllegalStateException(kind.name());
        };
    }
}
