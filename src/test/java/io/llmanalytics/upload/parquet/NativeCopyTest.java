package io.llmanalytics.upload.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.opencsv.CSVReader;
import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.formats.FormatFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB's own canonical CSV ({@link NativeCopy}) against the row-by-row reader on the same Parquet file, with values
 * chosen to be hard (floats of every magnitude, NaN, float32, decimals, booleans with and without nulls, dates and
 * timestamps of every unit and zone, text with quotes, commas, line breaks, empty strings and non-ASCII): the same
 * schema and profile (means and standard deviations to 1e-12), and the DataFrames the worker loads from both canonical
 * files identical, bit for bit, through the worker's own loader.
 */
class NativeCopyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProfileOptions OPTIONS = new ProfileOptions(5, 1000, 5, 100_000_000L);
    private static final TableLimits LIMITS = new TableLimits(10_000, 1_000_000);

    @TempDir
    static Path work;

    static Path file;

    @BeforeAll
    static void writeParquet() throws Exception {
        file = work.resolve("hard.parquet");
        String rows = """
                SELECT
                  i::INTEGER AS "int",
                  CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1000003 - 15000000 END::BIGINT AS "int with nulls",
                  CASE WHEN i % 11 = 0 THEN 'nan'::DOUBLE WHEN i % 13 = 0 THEN NULL WHEN i % 17 = 0 THEN -0.0
                       ELSE ((hash(i) % 2000003)::BIGINT - 1000001)::DOUBLE / 997.0 * pow(10, (i % 45) - 22) END AS f64,
                  [0.001, 0.000999, 1e7, 9999999.999, 100.0, 1e22, 1e23, 0.1, 1.5e150, -2.5e-300,
                   12345678901234567890.0, 1e-5, 0.30000000000000004, -1234.5e-10][i % 14 + 1]::DOUBLE AS "f64 edges",
                  ((hash(i * 3) % 200000)::DOUBLE / 997.0 - 100)::FLOAT AS f32,
                  CASE WHEN i % 19 = 0 THEN 'nan'::FLOAT ELSE (i % 1000 / 10.0)::FLOAT END AS "f32 nan",
                  ((hash(i) % 10000000)::DOUBLE / 100.0)::DECIMAL(12, 2) AS dec,
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
                  'id-' || (i * 7919 % 30011)::VARCHAR AS "many distinct",
                  CASE WHEN i >= 0 THEN NULL END::DATE AS "all null date"
                FROM range(30000) t(i)""";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement()) {
            st.execute("SET TimeZone='UTC'");
            st.execute("COPY (" + rows + ") TO " + ParquetTableReader.literal(file.toString())
                    + " (FORMAT parquet, ROW_GROUP_SIZE 4096)");
        }
    }

    private static ParsedTable read(boolean nativeCopy, String name) throws Exception {
        return new ParquetTableReader(
                        OPTIONS,
                        LIMITS,
                        nativeCopy ? ParquetTableReader.Route.NATIVE_COPY : ParquetTableReader.Route.ROW_BY_ROW)
                .read(file, "hard", work.resolve(name));
    }

    @Test
    void duckDbWritesTheRowByRowReadersCanonicalFieldsTextForText() throws Exception {
        String source = ParquetTableReader.source(file, false);
        List<String> names = new ArrayList<>();
        List<ParquetTableReader.Kind> kinds = new ArrayList<>();
        Path fast = work.resolve("fast-direct.csv");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement()) {
            st.execute("SET TimeZone='UTC'");
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    kinds.add(ParquetTableReader.kind(rs.getString(2)));
                }
            }
            assertTrue(NativeCopy.applies(kinds), kinds.toString());
            assertTrue(new NativeCopy(OPTIONS, LIMITS)
                    .read(db, source, ParquetTableReader.source(file, true), names, kinds, "hard", fast)
                    .isPresent());
        }
        ParsedTable slow = read(false, "slow-probe.csv");
        // The same fields, text for text (DuckDB quotes a few more of them, e.g. a leading
        // '#', and writes fractions of seconds without trailing zeros: pandas reads the same values, as the
        // DataFrame test checks).
        List<String[]> want = records(slow.canonical());
        List<String[]> got = records(fast);
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(fraction(want.get(i)), fraction(got.get(i)), "record " + i);
        }
    }

    private static List<String> fraction(String[] record) {
        return Stream.of(record)
                .map(f -> f.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+")
                        ? f.replaceAll("0+$", "").replaceAll("\\.$", "")
                        : f)
                .toList();
    }

    private static List<String[]> records(Path csv) throws Exception {
        try (CSVReader reader = new CSVReader(Files.newBufferedReader(csv))) {
            return reader.readAll();
        }
    }

    @Test
    void theSchemaAndProfileAreTheRowByRowOnes() throws Exception {
        DatasetSchema fast = read(true, "fast.csv").schema();
        DatasetSchema slow = read(false, "slow.csv").schema();
        assertEquals(slow.rows(), fast.rows());
        assertEquals(slow.columnNames(), fast.columnNames());
        assertEquals(slow.dataTypes(), fast.dataTypes());
        assertEquals(slow.sample(), fast.sample());
        for (int i = 0; i < slow.columns().size(); i++) {
            ColumnSchema s = slow.columns().get(i);
            ColumnSchema f = fast.columns().get(i);
            assertEquals(s.nullCount(), f.nullCount(), s.name());
            ColumnProfile sp = s.profile();
            ColumnProfile fp = f.profile();
            assertEquals(sp.min(), fp.min(), s.name());
            assertEquals(sp.max(), fp.max(), s.name());
            close(sp.mean(), fp.mean(), s.name());
            close(sp.std(), fp.std(), s.name());
            assertEquals(sp.minDate(), fp.minDate(), s.name());
            assertEquals(sp.maxDate(), fp.maxDate(), s.name());
            if (sp.distinctEstimated() == null) {
                assertEquals(sp.distinct(), fp.distinct(), s.name());
                assertEquals(sp.topValues(), fp.topValues(), s.name());
                assertEquals(null, fp.distinctEstimated(), s.name());
            } else {
                // Past the distinct bound the streaming counter estimates; DuckDB counts exactly.
                assertEquals(30000L, fp.distinct(), s.name());
                assertEquals(null, fp.distinctEstimated(), s.name());
                assertEquals(5, fp.topValues().size(), s.name());
                assertEquals(1L, fp.topValues().get(0).count(), s.name());
            }
        }
        assertEquals(PandasType.DATETIME64, fast.column("tstz").orElseThrow().type());
        assertEquals(PandasType.OBJECT, fast.column("bool nulls").orElseThrow().type());
        assertEquals(
                PandasType.FLOAT64, fast.column("all null date").orElseThrow().type());
    }

    private static void close(Double want, Double got, String column) {
        if (want == null || got == null) {
            assertEquals(want, got, column);
            return;
        }
        assertEquals(want, got, Math.abs(want) * 1e-12 + 1e-300, column);
    }

    @Test
    void theWorkerLoadsTheSameDataFrameBitForBit() throws Exception {
        ParsedTable fast = read(true, "fast-df.csv");
        ParsedTable slow = read(false, "slow-df.csv");
        JsonNode out = FormatFixtures.python(
                """
                import json, sys
                sys.path.insert(0, sys.argv[1])
                import datasets
                specs = json.loads(sys.argv[2])
                frames = [datasets.load([s])[0][s['name']] for s in specs]
                a, b = frames
                import pandas as pd
                pd.testing.assert_frame_equal(a, b, check_exact=True)
                same = {}
                for c in a.columns:
                    if a[c].dtype == object:
                        same[c] = a[c].isna().equals(b[c].isna()) and a[c].dropna().tolist() == b[c].dropna().tolist()
                    else:
                        same[c] = a[c].values.tobytes() == b[c].values.tobytes()
                print(json.dumps({'rows': len(a), 'dtypes': [str(t) for t in a.dtypes], 'same': same}))
                """,
                Path.of("src/main/resources/worker").toAbsolutePath().toString(),
                JSON.writeValueAsString(List.of(spec("fast", fast), spec("slow", slow))));
        assertEquals(30000, out.get("rows").asInt());
        out.get("same").fields().forEachRemaining(e -> assertTrue(e.getValue().asBoolean(), e.getKey()));
        assertEquals(18, out.get("same").size());
        assertTrue(out.get("dtypes").toString().contains("datetime64[ns]"), out.toString());
    }

    private static Map<String, Object> spec(String name, ParsedTable t) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("path", t.canonical().toString());
        spec.put("columns", t.schema().columnNames());
        spec.put("dtypes", t.schema().dataTypes());
        spec.put("date_columns", t.schema().dateColumns());
        spec.put("na_values", t.naValues());
        return spec;
    }
}
