package io.llmanalytics.upload.parquet;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.upload.CanonicalSink;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.TypedCells;
import io.llmanalytics.upload.TypedTableWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.duckdb.DuckDBDriver;
import org.jboss.logging.Logger;

/**
 * Reads Parquet files with DuckDB's embedded Parquet reader (every encoding and codec of the format: plain,
 * dictionary, RLE, delta, byte-stream-split, data page v2; snappy, gzip, zstd, lz4, lz4_raw, brotli), streamed row
 * group by row group through a private in-memory DuckDB with a memory cap, so the file is never held in memory.
 * Columns become what {@code pd.read_parquet} gives, within the dtypes a canonical dataset has: integers int64
 * (float64 with NaN when a value is missing), floats and decimals float64, booleans bool (object with missing values),
 * dates, timestamps and INT96 datetime64[ns] (zoned ones converted to UTC; a column with a value outside
 * datetime64[ns]'s range stays text), text and binary as text, lists, maps and structs as their JSON text.
 * Blocking: call it on a worker thread.
 */
public final class ParquetTableReader {

    private static final Logger LOG = Logger.getLogger(ParquetTableReader.class);

    /** DuckDB's working memory for one read; a file needing more is refused, not the service. */
    static final String MEMORY_LIMIT = "256MB";

    private final ProfileOptions options;
    private final TableLimits limits;

    private final Route fastest;

    public ParquetTableReader(ProfileOptions options, TableLimits limits) {
        this(options, limits, Route.COLUMNAR);
    }

    /** A reader that tries the {@code fastest} route first, then the slower ones. */
    ParquetTableReader(ProfileOptions options, TableLimits limits, Route fastest) {
        this.options = options;
        this.limits = limits;
        this.fastest = fastest;
    }

    /** How a table is read, slowest first: each route steps aside for the slower ones where it cannot be exact. */
    enum Route {
        /** Every cell through JDBC as text, written and profiled by {@link TypedTableWriter}. */
        ROW_BY_ROW,
        /** DuckDB writes the canonical CSV and computes the profile ({@link NativeCopy}). */
        NATIVE_COPY,
        /** Values through JDBC as numbers, the canonical CSV written by Java ({@link ColumnarCopy}). */
        COLUMNAR
    }

    enum Kind {
        /** Integers that fit a Java long, read with getLong. */
        INT,
        /** HUGEINT and unsigned 64/128-bit integers, read as text. */
        BIG_INT,
        FLOAT32,
        FLOAT64,
        DECIMAL,
        BOOL,
        /** Timestamps of second to microsecond precision (zoned ones too): epoch microseconds. */
        TIMESTAMP,
        /** Nanosecond timestamps: epoch nanoseconds. */
        TIMESTAMP_NS,
        DATE,
        VARCHAR,
        /** Other scalar types (UUID, ENUM, TIME, INTERVAL, BLOB...), cast to text by DuckDB. */
        TEXT,
        NESTED
    }

    public ParsedTable read(Path file, String name, Path canonicalOut) throws IOException {
        return read(file, name, canonicalOut, CanonicalSink.Opener.NONE);
    }

    /**
     * {@link #read(Path, String, Path)}, the columnar route sending the canonical file's bytes to a sink of
     * {@code sinks} as it writes them.
     */
    public ParsedTable read(Path file, String name, Path canonicalOut, CanonicalSink.Opener sinks) throws IOException {
        Properties props = new Properties();
        props.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        try (Connection db = new DuckDBDriver().connect("jdbc:duckdb:", props)) {
            configure(db, canonicalOut.getParent());
            String source = source(file, false);
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<Kind> kinds = new ArrayList<>();
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    types.add(rs.getString(2));
                    kinds.add(kind(rs.getString(2)));
                    limits.checkColumns(names.size());
                }
            }
            if (fastest == Route.COLUMNAR && ColumnarCopy.applies(kinds)) {
                Optional<ParsedTable> columnar = columnar(db, source, names, types, kinds, name, canonicalOut, sinks);
                if (columnar.isPresent()) {
                    return columnar.get();
                }
            }
            if (fastest != Route.ROW_BY_ROW && NativeCopy.applies(kinds)) {
                Optional<ParsedTable> copied = copied(db, source, source(file, true), names, kinds, name, canonicalOut);
                if (copied.isPresent()) {
                    return copied.get();
                }
            }
            StringBuilder select = new StringBuilder("SELECT ");
            for (int i = 0; i < names.size(); i++) {
                select.append(i == 0 ? "" : ", ").append(expression(identifier(names.get(i)), kinds.get(i)));
            }
            select.append(" FROM ").append(source);
            try (TypedTableWriter out = new TypedTableWriter(names, options, limits, canonicalOut);
                    Statement st = db.createStatement()) {
                st.setFetchSize(2048);
                try (ResultSet rs = st.executeQuery(select.toString())) {
                    int width = names.size();
                    String[] cells = new String[width];
                    CellKind[] cellKinds = new CellKind[width];
                    long row = 0;
                    while (rs.next()) {
                        row++;
                        for (int i = 0; i < width; i++) {
                            read(rs, i, kinds.get(i), names.get(i), row, cells, cellKinds);
                        }
                        out.add(cells, cellKinds, row);
                    }
                }
                return out.finish(name);
            }
        } catch (SQLException e) {
            throw new ProblemException(ProblemType.UNREADABLE_FILE, describe(e.getMessage(), file.toString()));
        }
    }

    /** The columnar route's table; empty when it steps aside or DuckDB reports an error (a slower route reads it). */
    private Optional<ParsedTable> columnar(
            Connection db,
            String source,
            List<String> names,
            List<String> types,
            List<Kind> kinds,
            String name,
            Path canonicalOut,
            CanonicalSink.Opener sinks)
            throws IOException {
        try {
            return new ColumnarCopy(options, limits).read(db, source, names, types, kinds, name, canonicalOut, sinks);
        } catch (SQLException e) {
            LOG.debugf("Parquet columnar route stepped aside: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** The fast path's table; empty when it steps aside or DuckDB reports an error (the row-by-row read names it). */
    private Optional<ParsedTable> copied(
            Connection db,
            String source,
            String numbered,
            List<String> names,
            List<Kind> kinds,
            String name,
            Path canonicalOut) {
        try {
            return new NativeCopy(options, limits).read(db, source, numbered, names, kinds, name, canonicalOut);
        } catch (SQLException e) {
            LOG.debugf("Parquet fast path stepped aside: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private static void configure(Connection db, Path tempDir) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("SET memory_limit='" + MEMORY_LIMIT + "'");
            st.execute("SET threads=2");
            st.execute("SET TimeZone='UTC'");
            st.execute("SET autoinstall_known_extensions=false");
            st.execute("SET autoload_known_extensions=false");
            st.execute("SET temp_directory="
                    + literal(tempDir.resolve("duckdb.tmp").toString()));
        }
    }

    /** The column's kind from DuckDB's type name. */
    static Kind kind(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        if (t.endsWith("]") || t.startsWith("STRUCT") || t.startsWith("MAP") || t.startsWith("UNION")) {
            return Kind.NESTED;
        }
        if (t.startsWith("DECIMAL")) {
            return Kind.DECIMAL;
        }
        return switch (t) {
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER" -> Kind.INT;
            case "HUGEINT", "UBIGINT", "UHUGEINT" -> Kind.BIG_INT;
            case "FLOAT", "REAL" -> Kind.FLOAT32;
            case "DOUBLE" -> Kind.FLOAT64;
            case "BOOLEAN" -> Kind.BOOL;
            case "DATE" -> Kind.DATE;
            case "TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_S", "TIMESTAMP WITH TIME ZONE" -> Kind.TIMESTAMP;
            case "TIMESTAMP_NS" -> Kind.TIMESTAMP_NS;
            case "VARCHAR" -> Kind.VARCHAR;
            default -> Kind.TEXT;
        };
    }

    /** The SELECT expression for a column: native values where a typed getter is cheap, text otherwise. */
    static String expression(String column, Kind kind) {
        return switch (kind) {
            case NESTED -> "CAST(to_json(" + column + ") AS VARCHAR)";
            case TIMESTAMP -> "epoch_us(" + column + ")";
            case TIMESTAMP_NS -> "epoch_ns(" + column + ")";
            case INT, FLOAT32, FLOAT64, BOOL, VARCHAR -> column;
            case BIG_INT, DECIMAL, DATE, TEXT -> "CAST(" + column + " AS VARCHAR)";
        };
    }

    /** Reads column {@code i} of the current row into {@code cells[i]} and {@code kinds[i]}. */
    static void read(ResultSet rs, int i, Kind kind, String column, long row, String[] cells, CellKind[] kinds)
            throws SQLException {
        int at = i + 1;
        String text;
        CellKind cellKind;
        switch (kind) {
            case INT -> {
                long v = rs.getLong(at);
                text = rs.wasNull() ? null : Long.toString(v);
                cellKind = CellKind.INT;
            }
            case FLOAT32 -> {
                float v = rs.getFloat(at);
                text = rs.wasNull() ? null : TypedCells.floating(Float.toString(v));
                cellKind = CellKind.FLOAT;
            }
            case FLOAT64 -> {
                double v = rs.getDouble(at);
                text = rs.wasNull() ? null : TypedCells.floating(Double.toString(v));
                cellKind = CellKind.FLOAT;
            }
            case BOOL -> {
                boolean v = rs.getBoolean(at);
                text = rs.wasNull() ? null : v ? "True" : "False";
                cellKind = CellKind.BOOL;
            }
            case TIMESTAMP, TIMESTAMP_NS -> {
                long v = rs.getLong(at);
                if (rs.wasNull()) {
                    text = null;
                    cellKind = CellKind.NULL;
                } else {
                    text = timestamp(
                            kind == Kind.TIMESTAMP
                                    ? Instant.ofEpochSecond(
                                            Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000L)
                                    : Instant.ofEpochSecond(
                                            Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L)),
                            column,
                            row);
                    cellKind = TypedCells.dateKind(text);
                }
            }
            case DATE -> {
                text = rs.getString(at);
                if (text != null && text.contains("(BC)")) {
                    throw undecodable(column, row, text);
                }
                cellKind = text == null ? CellKind.NULL : TypedCells.dateKind(text);
            }
            case BIG_INT -> {
                text = rs.getString(at);
                cellKind = text == null ? CellKind.NULL : TypedCells.integer(text);
            }
            case DECIMAL -> {
                text = rs.getString(at);
                cellKind = CellKind.FLOAT;
            }
            case VARCHAR, TEXT, NESTED -> {
                text = rs.getString(at);
                cellKind = CellKind.TEXT;
            }
            default -> throw new IllegalStateException(kind.name());
        }
        cells[i] = text;
        kinds[i] = text == null ? CellKind.NULL : cellKind;
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.f]} in UTC; a year before 1 means DuckDB wrapped a value it cannot decode. */
    static String timestamp(Instant t, String column, long row) {
        LocalDateTime local = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        if (local.getYear() < 1) {
            throw undecodable(column, row, local.toString().replace('T', ' '));
        }
        String s = local.toString().replace('T', ' ');
        return s.length() == 16 ? s + ":00" : s;
    }

    /**
     * A date or timestamp DuckDB cannot decode faithfully: INT96 timestamps (Spark's) far beyond the year 2262
     * overflow 64-bit time while decoding and come out as a wrong date before year 1 (pyarrow refuses them too).
     * Refused, naming the column, the row and what it reads as, rather than shown as a wrong date.
     */
    static ProblemException undecodable(String column, long row, String value) {
        return new ProblemException(
                ProblemType.UNREADABLE_FILE,
                "Column '" + column + "', row " + row + " of the Parquet file holds a date or timestamp that cannot be"
                        + " decoded faithfully: it reads as '" + value + "', which is not its stored value (INT96"
                        + " timestamps, as Spark writes them, far beyond the year 2262 overflow 64-bit time, and dates"
                        + " before year 1 are not supported). The file is refused rather than shown with a wrong date."
                        + " Write the column as a TIMESTAMP in microseconds (in Spark:"
                        + " spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS) or as text, or correct that row,"
                        + " and upload again.");
    }

    /** The upload as DuckDB reads it; {@code numbered}: with each row's {@code file_row_number}. */
    static String source(Path file, boolean numbered) {
        return "read_parquet(" + literal(file.toString()) + ", binary_as_string=true"
                + (numbered ? ", file_row_number=true)" : ")");
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static String identifier(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** A precise message for DuckDB's errors about the file (its own paths removed). */
    static String describe(String message, String path) {
        String m = message == null ? "" : message.replace(path, "(the upload)");
        int line = m.indexOf("\nLINE ");
        if (line > 0) {
            m = m.substring(0, line);
        }
        m = m.replaceAll("[\"'][^\"']*/[^\"']*[\"']", "(a file)").strip();
        if (m.length() > 300) {
            m = m.substring(0, 300) + "...";
        }
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("encrypt")) {
            return "The Parquet file is encrypted; upload it without encryption (the service holds no keys).";
        }
        if (lower.contains("out of memory") || lower.contains("memory limit")) {
            return "The Parquet file needs more than " + MEMORY_LIMIT + " of working memory to read (very large values"
                    + " or row groups); write it with smaller row groups or upload CSV.";
        }
        if (lower.contains("no magic bytes")
                || lower.contains("too small to be a parquet file")
                || lower.contains("not a parquet file")) {
            return "The file is not a valid Parquet file (its header or footer is missing or damaged): " + m;
        }
        return "The Parquet file cannot be read (it may be truncated or corrupt): " + m;
    }
}
