package io.llmanalytics.sources;

import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.DateFormats;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Reads one result column as the text and kind of cell the schema pass takes, mapping SQL types the way
 * {@code pd.read_sql(..., parse_dates=...)} through psycopg2/PyMySQL gives them: integers int64 (float64 once a NULL
 * appears), numerics and floats float64, booleans bool (object with NULLs), dates and timestamps datetime64[ns]
 * (zoned ones converted to UTC), everything else object (JSON and arrays as JSON text).
 */
sealed interface ColumnReader {

    /** The kind every non-null cell of this column has. */
    CellKind kind();

    /** The cell's canonical text, or null for SQL NULL. */
    String read(ResultSet rs, int index) throws SQLException;

    static ColumnReader of(ResultSetMetaData meta, int index, SourceKind source) throws SQLException {
        int type = meta.getColumnType(index);
        String name = meta.getColumnTypeName(index) == null
                ? ""
                : meta.getColumnTypeName(index).toLowerCase(Locale.ROOT);
        if (source == SourceKind.SQLITE) {
            return sqlite(name);
        }
        if (source == SourceKind.POSTGRESQL && (name.equals("bool") || name.equals("boolean"))) {
            return new Bool();
        }
        if (source == SourceKind.POSTGRESQL && (name.equals("json") || name.equals("jsonb"))) {
            return new Json();
        }
        if (source == SourceKind.POSTGRESQL && name.equals("timestamptz")) {
            return new ZonedTimestamp();
        }
        if (source == SourceKind.POSTGRESQL
                && (type == Types.SMALLINT || type == Types.INTEGER || type == Types.BIGINT)) {
            return new IntText();
        }
        if (source == SourceKind.MARIADB && name.contains("unsigned") && type == Types.BIGINT) {
            return new Decimal();
        }
        return switch (type) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> new Int();
            // float4 travels as its shortest text (1.1), which is what psycopg2/PyMySQL parse; widening the binary
            // float would give 1.100000023841858
            case Types.REAL, Types.FLOAT -> new Decimal();
            case Types.DOUBLE -> new Floating();
            case Types.NUMERIC, Types.DECIMAL -> new Decimal();
            case Types.BOOLEAN -> new Bool();
            case Types.DATE -> name.equals("year") ? new Int() : new Day();
            case Types.TIMESTAMP -> new Timestamp();
            case Types.TIMESTAMP_WITH_TIMEZONE -> new ZonedTimestamp();
            case Types.ARRAY -> new ArrayText();
            default -> new Text();
        };
    }

    /**
     * SQLite types values, not columns (Python's sqlite3 gives int, float, str or bytes per value): each cell's kind
     * is its storage class; text in a column declared DATE/DATETIME/TIMESTAMP that reads as a date is a date (what
     * {@code parse_dates} on that column gives).
     */
    private static ColumnReader sqlite(String declared) {
        return new SqliteValue(declared.contains("date") || declared.contains("time"));
    }

    /** The kind of the cell {@link #read} returned last (non-null). */
    default CellKind lastKind() {
        return kind();
    }

    final class SqliteValue implements ColumnReader {
        private final boolean dates;
        private CellKind last = CellKind.TEXT;

        SqliteValue(boolean dates) {
            this.dates = dates;
        }

        public CellKind kind() {
            return CellKind.TEXT;
        }

        @Override
        public CellKind lastKind() {
            return last;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            Object v = rs.getObject(i);
            if (v == null) {
                return null;
            }
            if (v instanceof Integer || v instanceof Long) {
                last = CellKind.INT;
                return v.toString();
            }
            if (v instanceof Number n) {
                last = CellKind.FLOAT;
                return number(n.doubleValue());
            }
            if (v instanceof byte[] bytes) {
                last = CellKind.TEXT;
                return HexFormat.of().formatHex(bytes);
            }
            String text = v.toString();
            last = dates && DateFormats.match(text) != null && DateFormats.match(text) == DateFormats.Family.ISO
                    ? CellKind.DATE
                    : CellKind.TEXT;
            return last == CellKind.DATE ? text.replace('T', ' ') : text;
        }
    }

    DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;
    DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** {@code yyyy-MM-dd HH:mm:ss} with {@code .SSSSSS} when the time has a fraction of a second. */
    static String timestamp(LocalDateTime t) {
        int year = t.getYear();
        if (year < 1000 || year > 9999) {
            String text = t.format(TIME);
            return text.endsWith(".000000") ? text.substring(0, text.length() - 7) : text;
        }
        int micros = t.getNano() / 1000;
        char[] out = new char[micros == 0 ? 19 : 26];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, t.getDayOfMonth(), 2);
        out[10] = ' ';
        digits(out, 11, t.getHour(), 2);
        out[13] = ':';
        digits(out, 14, t.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, t.getSecond(), 2);
        if (micros != 0) {
            out[19] = '.';
            digits(out, 20, micros, 6);
        }
        return new String(out);
    }

    /** {@code yyyy-MM-dd} (ISO). */
    static String day(LocalDate d) {
        int year = d.getYear();
        if (year < 1000 || year > 9999) {
            return d.format(DAY);
        }
        char[] out = new char[10];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, d.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, d.getDayOfMonth(), 2);
        return new String(out);
    }

    /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void digits(char[] out, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            out[k] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    record Int() implements ColumnReader {
        public CellKind kind() {
            return CellKind.INT;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            long v = rs.getLong(i);
            return rs.wasNull() ? null : Long.toString(v);
        }
    }

    /** PostgreSQL integers: the server's text is already the canonical decimal, read without parsing. */
    record IntText() implements ColumnReader {
        public CellKind kind() {
            return CellKind.INT;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            return rs.getString(i);
        }
    }

    record Floating() implements ColumnReader {
        public CellKind kind() {
            return CellKind.FLOAT;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            double v = rs.getDouble(i);
            return rs.wasNull() ? null : number(v);
        }
    }

    /** NaN is a missing value for pandas; infinities are written as pandas reads them. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return null;
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Double.toString(v);
    }

    record Decimal() implements ColumnReader {
        public CellKind kind() {
            return CellKind.FLOAT;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            String text = rs.getString(i);
            if (text == null) {
                return null;
            }
            // correctly rounded, as Python's float(Decimal(text)) is
            return number(Double.parseDouble(text.strip()));
        }
    }

    record Bool() implements ColumnReader {
        public CellKind kind() {
            return CellKind.BOOL;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            boolean v = rs.getBoolean(i);
            return rs.wasNull() ? null : v ? "True" : "False";
        }
    }

    record Day() implements ColumnReader {
        public CellKind kind() {
            return CellKind.DATE;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            LocalDate d = rs.getObject(i, LocalDate.class);
            return d == null ? null : day(d);
        }
    }

    record Timestamp() implements ColumnReader {
        public CellKind kind() {
            return CellKind.DATE;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            LocalDateTime t = rs.getObject(i, LocalDateTime.class);
            return t == null ? null : timestamp(t);
        }
    }

    record ZonedTimestamp() implements ColumnReader {
        public CellKind kind() {
            return CellKind.DATE;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
            return t == null
                    ? null
                    : timestamp(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        }
    }

    record ArrayText() implements ColumnReader {
        public CellKind kind() {
            return CellKind.TEXT;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            Array array = rs.getArray(i);
            if (array == null) {
                return null;
            }
            try {
                StringBuilder out = new StringBuilder();
                json(array.getArray(), out);
                return out.toString();
            } finally {
                array.free();
            }
        }

        private static void json(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Object[] items) {
                out.append('[');
                for (int k = 0; k < items.length; k++) {
                    if (k > 0) {
                        out.append(", ");
                    }
                    json(items[k], out);
                }
                out.append(']');
            } else if (value.getClass().isArray()) {
                int n = java.lang.reflect.Array.getLength(value);
                Object[] boxed = new Object[n];
                for (int k = 0; k < n; k++) {
                    boxed[k] = java.lang.reflect.Array.get(value, k);
                }
                json(boxed, out);
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value instanceof Boolean b ? (b ? "true" : "false") : value.toString());
            } else {
                out.append('"');
                for (char c : value.toString().toCharArray()) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> {
                            if (c < 0x20) {
                                out.append(String.format("\\u%04x", (int) c));
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
                out.append('"');
            }
        }
    }

    /** PostgreSQL JSON: its text; the JSON literal null is missing (psycopg2 gives None). */
    record Json() implements ColumnReader {
        public CellKind kind() {
            return CellKind.TEXT;
        }

        public String read(ResultSet rs, int i) throws SQLException {
            String text = rs.getString(i);
            return text == null || text.equals("null") ? null : text;
        }
    }

    /** Any other type: its text, as pandas keeps an object column. */
    record Text(CellKind kind) implements ColumnReader {
        Text() {
            this(CellKind.TEXT);
        }

        public String read(ResultSet rs, int i) throws SQLException {
            return rs.getString(i);
        }
    }
}
