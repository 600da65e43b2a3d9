package io.llmanalytics.upload.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.duckdb.DuckDBDriver;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.TypedTableWriter;
import io.llmanalytics.upload.TypedCells;

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

    /** DuckDB's working memory for one read; a file needing more is refused, not the service. */
    static final String MEMORY_LIMIT = "256MB";

    private final ProfileOptions options;
    private final TableLimits limits;

    public ParquetTableReader(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    private enum Kind {
        INT, FLOAT, BOOL, TIMESTAMP, ZONED_TIMESTAMP, DATE, TEXT, NESTED
    }

    public ParsedTable read(Path file, String name, Path canonicalOut) throws IOException {
        Properties props = new Properties();
        props.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        try (Connection db = new DuckDBDriver().connect("jdbc:duckdb:", props)) {
            configure(db, canonicalOut.getParent());
            String source = "read_parquet(" + literal(file.toString()) + ", binary_as_string=true)";
            List<String> names = new ArrayList<>();
            List<Kind> kinds = new ArrayList<>();
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    kinds.add(kind(rs.getString(2)));
                    limits.checkColumns(names.size());
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
                            String v = rs.getString(i + 1);
                            cells[i] = v;
                            cellKinds[i] = v == null ? CellKind.NULL : cell(kinds.get(i), v, cells, i, names.get(i));
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

    private static void configure(Connection db, Path tempDir) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("SET memory_limit='" + MEMORY_LIMIT + "'");
            st.execute("SET threads=2");
            st.execute("SET TimeZone='UTC'");
            st.execute("SET autoinstall_known_extensions=false");
            st.execute("SET autoload_known_extensions=false");
            st.execute("SET temp_directory=" + literal(tempDir.resolve("duckdb.tmp").toString()));
        }
    }

    /** The column's kind from DuckDB's type name. */
    static Kind kind(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        if (t.endsWith("]") || t.startsWith("STRUCT") || t.startsWith("MAP") || t.startsWith("UNION")) {
            return Kind.NESTED;
        }
        if (t.startsWith("DECIMAL") || t.equals("FLOAT") || t.equals("DOUBLE") || t.equals("REAL")) {
            return Kind.FLOAT;
        }
        return switch (t) {
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                    "UBIGINT", "UHUGEINT" -> Kind.INT;
            case "BOOLEAN" -> Kind.BOOL;
            case "DATE" -> Kind.DATE;
            case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" -> Kind.TIMESTAMP;
            case "TIMESTAMP WITH TIME ZONE" -> Kind.ZONED_TIMESTAMP;
            default -> Kind.TEXT;
        };
    }

    private static String expression(String column, Kind kind) {
        return switch (kind) {
            case NESTED -> "CAST(to_json(" + column + ") AS VARCHAR)";
            case ZONED_TIMESTAMP -> "CAST(CAST(" + column + " AS TIMESTAMP) AS VARCHAR)";
            default -> "CAST(" + column + " AS VARCHAR)";
        };
    }

    private static CellKind cell(Kind kind, String v, String[] cells, int i, String column) {
        return switch (kind) {
            case INT -> TypedCells.integer(v);
            case FLOAT -> {
                String f = TypedCells.floating(v);
                cells[i] = f;
                yield f == null ? CellKind.NULL : CellKind.FLOAT;
            }
            case BOOL -> {
                cells[i] = "true".equals(v) ? "True" : "False";
                yield CellKind.BOOL;
            }
            case DATE, TIMESTAMP, ZONED_TIMESTAMP -> {
                if (v.contains("(BC)")) {
                    // DuckDB wraps INT96 values beyond its range into "BC" dates: refuse rather than show a wrong value.
                    throw new ProblemException(ProblemType.UNREADABLE_FILE, "Column '" + column + "' of the Parquet file"
                            + " holds a date or timestamp this reader cannot decode faithfully (it reads as '" + v
                            + "'; INT96 timestamps beyond the year 2262 or before year 1 are not supported). Write the"
                            + " column as a timestamp in microseconds, or as text, and upload again.");
                }
                yield TypedCells.dateKind(v);
            }
            case TEXT, NESTED -> CellKind.TEXT;
        };
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
        if (lower.contains("no magic bytes") || lower.contains("too small to be a parquet file")
                || lower.contains("not a parquet file")) {
            return "The file is not a valid Parquet file (its header or footer is missing or damaged): " + m;
        }
        return "The Parquet file cannot be read (it may be truncated or corrupt): " + m;
    }
}
