package io.llmanalytics.upload.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.schema.FoldedIntegers;
import io.llmanalytics.schema.IntegerValues;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.upload.CanonicalSink;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.parquet.ParquetTableReader.Kind;
import io.llmanalytics.upload.parquet.ParquetTableReader.Route;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ColumnarCopy} against the row-by-row reader on the same Parquet files, with values chosen to be hard (floats
 * of every magnitude, NaN, float32, decimals, booleans with and without nulls, dates and timestamps of every unit and
 * zone, text with quotes, commas, line breaks, empty strings and non-ASCII): the canonical file the same byte for byte
 * (so the worker loads the same DataFrame), the same schema and profile, value for value, the same integer columns
 * for the drafts; and the tables it must leave to slower routes left to them.
 */
class ColumnarCopyTest {

    private static final ProfileOptions OPTIONS = new ProfileOptions(5, 1000, 5, 100_000_000L);
    private static final TableLimits LIMITS = new TableLimits(10_000, 1_000_000);

    /** Every plain kind, text of fewer distinct values than the bound. */
    private static final String HARD = """
            SELECT
              i::INTEGER AS "int",
              CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1000003 - 15000000 END::BIGINT AS "int with nulls",
              (i % 5 - 2)::TINYINT AS tiny,
              CASE WHEN i % 11 = 0 THEN 'nan'::DOUBLE WHEN i % 13 = 0 THEN NULL WHEN i % 17 = 0 THEN -0.0
                   ELSE ((hash(i) % 2000003)::BIGINT - 1000001)::DOUBLE / 997.0 * pow(10, (i % 45) - 22) END AS f64,
              [0.001, 0.000999, 1e7, 9999999.999, 100.0, 1e22, 1e23, 0.1, 1.5e150, -2.5e-300,
               12345678901234567890.0, 1e-5, 0.30000000000000004, -1234.5e-10][i % 14 + 1]::DOUBLE AS "f64 edges",
              (i % 100000)::DOUBLE / 100 - 300 AS cents,
              ((hash(i * 3) % 200000)::DOUBLE / 997.0 - 100)::FLOAT AS f32,
              CASE WHEN i % 19 = 0 THEN 'nan'::FLOAT ELSE (i % 1000 / 10.0)::FLOAT END AS "f32 nan",
              ((hash(i) % 10000000)::DOUBLE / 100.0 - 50000)::DECIMAL(12, 2) AS dec,
              CASE WHEN i % 3 = 0 THEN NULL ELSE (i % 2000 - 1000)::DECIMAL(4, 0) END AS "dec scale 0",
              ((i % 200)::DOUBLE / 1000)::DECIMAL(18, 6) AS "dec small",
              ((hash(i) % 100000000000000000)::DOUBLE / 1e3 - 5e13)::DECIMAL(18, 3) AS "dec wide",
              (i % 3 = 0) AS bool,
              CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END AS "bool nulls",
              DATE '1970-01-01' + (i * 37 % 100000)::INTEGER - 30000 AS date,
              TIMESTAMP '2001-02-03 04:05:06' + to_microseconds((hash(i) % 100000000000000)::BIGINT) AS ts,
              CAST(TIMESTAMP '1999-12-31 23:59:59' + to_milliseconds(i * 1001) AS TIMESTAMP_MS) AS ts_ms,
              CAST(TIMESTAMP '1999-12-31 23:59:59' + to_seconds(i * 61) AS TIMESTAMP_S) AS ts_s,
              CAST(TIMESTAMPTZ '2020-06-01 12:00:00+02' + to_microseconds(i * 1234567) AS TIMESTAMPTZ) AS tstz,
              CAST('2262-01-01 00:00:00'::TIMESTAMP AS TIMESTAMP_NS) + to_microseconds(i) AS ts_ns,
              CASE WHEN i % 9 = 0 THEN NULL WHEN i % 10 = 0 THEN ''
                   ELSE ['plain', 'with, comma', 'with "quotes"', e'two\\nlines', 'ünïcødé ✓', ' padded ',
                         'NA', 'null', '#hash', e'cr\\rhere'][i % 10 + 1] END AS text,
              'code-' || (i * 7919 % 997)::VARCHAR AS "codes",
              CASE WHEN i >= 0 THEN NULL END::VARCHAR AS "all null text",
              CASE WHEN i >= 0 THEN NULL END::DATE AS "all null date"
            FROM range(30000) t(i)""";

    @TempDir
    Path work;

    private Path parquet(String name, String select) throws Exception {
        Path file = work.resolve(name + ".parquet");
        try (Connection db = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement st = db.createStatement()) {
            st.execute("SET TimeZone='UTC'");
            st.execute("COPY (" + select + ") TO " + ParquetTableReader.literal(file.toString())
                    + " (FORMAT parquet, ROW_GROUP_SIZE 4096)");
        }
        return file;
    }

    /** The columnar route's table, read directly (empty when it steps aside). */
    private Optional<ParsedTable> columnar(Path file, Path out) throws Exception {
        String source = ParquetTableReader.source(file, false);
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        try (Connection db = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement st = db.createStatement()) {
            st.execute("SET TimeZone='UTC'");
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    types.add(rs.getString(2));
                    kinds.add(ParquetTableReader.kind(rs.getString(2)));
                }
            }
            assertTrue(ColumnarCopy.applies(kinds), kinds.toString());
            return new ColumnarCopy(OPTIONS, LIMITS)
                    .read(db, source, names, types, kinds, "hard", out, CanonicalSink.Opener.NONE);
        }
    }

    private ParsedTable rowByRow(Path file) throws Exception {
        return new ParquetTableReader(OPTIONS, LIMITS, Route.ROW_BY_ROW).read(file, "hard", work.resolve("slow.csv"));
    }

    private void sameAsRowByRow(Path file) throws Exception {
        ParsedTable fast = columnar(file, work.resolve("fast.csv")).orElseThrow();
        ParsedTable slow = rowByRow(file);
        long mismatch = Files.mismatch(slow.canonical(), fast.canonical());
        assertEquals(-1, mismatch, () -> "first difference at byte " + mismatch + ": " + around(fast, mismatch));
        assertEquals(slow.schema(), fast.schema());
        assertEquals(slow.naValues(), fast.naValues());
        sameIntegers(slow.integers(), fast.integers());
    }

    private static String around(ParsedTable t, long at) {
        try {
            byte[] bytes = Files.readAllBytes(t.canonical());
            int from = (int) Math.max(0, at - 80);
            return new String(bytes, from, (int) Math.min(bytes.length - from, 160), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static void sameIntegers(FoldedIntegers want, FoldedIntegers got) {
        if (want == null || got == null) {
            assertEquals(want, got);
            return;
        }
        assertEquals(want.blankLines(), got.blankLines());
        assertEquals(want.byIndex().size(), got.byIndex().size());
        for (int i = 0; i < want.byIndex().size(); i++) {
            IntegerValues w = want.byIndex().get(i);
            IntegerValues g = got.byIndex().get(i);
            if (w == null || g == null) {
                assertEquals(w == null, g == null, "column " + i);
                continue;
            }
            assertEquals(w.count(), g.count(), "column " + i);
            assertEquals(w.increasing(), g.increasing(), "column " + i);
            assertEquals(w.last(), g.last(), "column " + i);
            assertArrayEquals(w.first(IntegerValues.KEPT), g.first(IntegerValues.KEPT), "column " + i);
        }
    }

    @Test
    void everyPlainKindIsWrittenAndProfiledAsTheRowByRowReaderDoes() throws Exception {
        sameAsRowByRow(parquet("hard", HARD));
    }

    @Test
    void integerColumnsAreGatheredForTheDraftsWhenLinesAreRecords() throws Exception {
        Path file = parquet("integers", """
                SELECT i AS id, i % 40 AS code, CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS "with nulls",
                  ['a', 'b', 'c, d'][i % 3 + 1] AS label, (i % 7)::DOUBLE / 4 AS x
                FROM range(5000) t(i)""");
        sameAsRowByRow(file);
        FoldedIntegers folded =
                columnar(file, work.resolve("ints.csv")).orElseThrow().integers();
        assertNotNull(folded);
        assertTrue(folded.byIndex().get(0).increasing());
        assertEquals(4999, folded.byIndex().get(0).last());
        assertEquals(40, folded.byIndex().get(1).first(IntegerValues.KEPT).length);
        assertNull(folded.byIndex().get(2), "a column with missing values is float64, not for the drafts");
    }

    @Test
    void aSingleColumnKeepsItsMissingValuesAsQuotedEmptyFields() throws Exception {
        Path file = parquet("single", "SELECT CASE WHEN i % 4 = 0 THEN NULL ELSE i END AS v FROM range(100) t(i)");
        sameAsRowByRow(file);
        assertTrue(Files.readString(work.resolve("fast.csv")).startsWith("v\n\"\"\n1\n2\n3\n\"\"\n"));
    }

    @Test
    void whatOnlySlowerRoutesReadExactlyIsLeftToThem() throws Exception {
        String[] aside = {
            // more distinct texts than the bound, among the first rows or only further on
            "SELECT 'id-' || i::VARCHAR AS t FROM range(5000) t(i)",
            "SELECT CASE WHEN i < 70000 THEN 'same' ELSE 'id-' || i::VARCHAR END AS t FROM range(72000) t(i)",
            // an infinity: the row-by-row reader refuses it, naming the row
            "SELECT CASE WHEN i = 50 THEN 'inf'::DOUBLE ELSE i END AS x FROM range(100) t(i)",
            "SELECT CASE WHEN i = 50 THEN '-inf'::FLOAT ELSE i END AS x FROM range(100) t(i)",
            // a date outside datetime64[ns]'s range
            "SELECT DATE '1500-01-01' + i::INTEGER AS d FROM range(100) t(i)",
            // a decimal past 18 digits
            "SELECT (i * 1.5)::DECIMAL(30, 2) AS d FROM range(100) t(i)",
            // a cell past the cell limit
            "SELECT repeat('x', 2000000) || i::VARCHAR AS t FROM range(3) t(i)",
            // no rows
            "SELECT i AS x FROM range(0) t(i)"
        };
        for (int i = 0; i < aside.length; i++) {
            Path file = parquet("aside-" + i, aside[i]);
            assertTrue(columnar(file, work.resolve("aside.csv")).isEmpty(), aside[i]);
        }
    }

    @Test
    void aFailedWriteOfTheFileFailsThePass() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        IOException e = assertThrows(IOException.class, () -> {
            try (ColumnarCopy.CsvBytes out = new ColumnarCopy.CsvBytes(full, null)) {
                byte[] line = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 1 << 18; i++) { // 4 MiB: buffers handed over to be written
                    out.put(line);
                }
            }
        });
        assertEquals("No space left on device", e.getMessage());
    }

    @Test
    void floatsAreWrittenAsJavaWritesThem() throws Exception {
        SplittableRandom random = new SplittableRandom(20);
        List<Double> values = new ArrayList<>(List.of(
                0.0,
                -0.0,
                1e-3,
                -1e-3,
                0.000999,
                9999999.999,
                1e7,
                9999999.999999998,
                0.1,
                0.2,
                0.30000000000000004,
                100.0,
                1805.6,
                455.81,
                1e-4,
                123456789012345.6,
                5e-324,
                Double.MAX_VALUE,
                Double.MIN_NORMAL));
        for (int i = 0; i < 200_000; i++) {
            // short decimals of every length and magnitude, as prices and measures are
            long m = random.nextLong(1, 10_000_000_000_000_000L) / (long) Math.pow(10, random.nextInt(17));
            double v = m / Math.pow(10, random.nextInt(12));
            values.add(random.nextBoolean() ? v : -v);
            // any double at all
            values.add(Double.longBitsToDouble(random.nextLong()));
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(-5, 9)));
        }
        StringBuilder want = new StringBuilder();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ColumnarCopy.CsvBytes out = new ColumnarCopy.CsvBytes(got, null)) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    want.append(Double.toString(v)).append('\n');
                    out.javaText(v);
                    out.put((byte) '\n');
                }
            }
        }
        sameLines(want, got);
    }

    @Test
    void integersAndDecimalsAreWrittenAsJavaAndDuckDbWriteThem() throws Exception {
        SplittableRandom random = new SplittableRandom(21);
        List<long[]> values = new ArrayList<>(); // unscaled value, scale
        for (long v : new long[] {0, 1, 9, 10, 99, 100, 101, 999_999_999_999_999_999L, Long.MAX_VALUE}) {
            for (int k = 0; k <= 18; k++) {
                values.add(new long[] {v, k});
                values.add(new long[] {-v, k});
            }
        }
        values.add(new long[] {Long.MIN_VALUE, 0});
        for (int i = 0; i < 200_000; i++) {
            long v = random.nextLong() / (long) Math.pow(10, random.nextInt(19));
            values.add(new long[] {v, random.nextInt(19)});
        }
        StringBuilder want = new StringBuilder();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ColumnarCopy.CsvBytes out = new ColumnarCopy.CsvBytes(got, null)) {
            for (long[] value : values) {
                long v = value[0];
                int k = (int) value[1];
                if (k == 0) {
                    want.append(v).append('\n');
                    out.digits(v);
                } else if (v != Long.MIN_VALUE) {
                    want.append(BigDecimal.valueOf(v, k).toPlainString()).append('\n');
                    out.scaled(v < 0, Math.abs(v), k);
                } else {
                    continue;
                }
                out.put((byte) '\n');
            }
        }
        sameLines(want, got);
    }

    /** Each line written is the line wanted. */
    private static void sameLines(StringBuilder want, ByteArrayOutputStream got) {
        String[] w = want.toString().split("\n");
        String[] g = got.toString(StandardCharsets.US_ASCII).split("\n");
        assertEquals(w.length, g.length);
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], "value " + i);
        }
    }
}
