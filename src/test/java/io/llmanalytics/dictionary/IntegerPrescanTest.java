package io.llmanalytics.dictionary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.dictionary.IntegerColumns.IntColumn;
import io.llmanalytics.schema.IntegerValues;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.ParsedUpload;
import io.llmanalytics.upload.formats.FormatFixtures;
import io.llmanalytics.upload.formats.FormatFixtures.ParsedCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integer columns the profile pass gathers ({@link IntegerPrescan#folded}) give the drafts exactly what a scan of
 * the file after the parse ({@link IntegerColumns}) gives: on every CSV of the shared corpus, at code bounds below and
 * above what the pass keeps, and on files written to reach every case where the two could part (blank and
 * whitespace lines, line ends, quoted records, fields spanning lines, blank lines above the header, signs, spaces, 19
 * digit values, more distinct values than the pass keeps). Where the pass cannot speak for the file, the column is
 * scanned instead, and the result is still the same.
 */
class IntegerPrescanTest {

    private static final int[] MAX_CODES = {2, 12, 20, IntegerValues.KEPT + 10};

    @TempDir
    Path dir;

    @Test
    void sameAsTheScanOnTheCorpus() throws IOException {
        int compared = 0;
        int folded = 0;
        for (ParsedCsv csv : FormatFixtures.corpusCsvs(dir)) {
            ParsedTable table = csv.parsed().tables().get(0);
            Path scanned = table.canonical() == null ? csv.file() : table.canonical();
            for (int maxCodes : MAX_CODES) {
                IntegerPrescan prescan = prescan(csv.file(), table, maxCodes);
                assertSame(table, scanned, prescan, maxCodes, csv.file().toString());
                folded += table.integers() != null && maxCodes == 12 && prescan.scanned(0) ? 1 : 0;
            }
            compared++;
        }
        assertTrue(compared >= 20, "corpus CSVs compared: " + compared);
        assertTrue(folded >= 2, "corpus CSVs whose first column came from the pass: " + folded);
    }

    @Test
    void sameAsTheScanWhereLinesAndRecordsCouldPart() throws IOException {
        String ids = "id,n,name\n1,5,a\n2,6,b\n3,5,c\n4,6,d\n5,5,e\n";
        expectFolded("plain.csv", ids);
        expectFolded("blank-middle.csv", "id,n,name\n1,5,a\n\n2,6,b\n3,5,c\n4,6,d\n");
        expectFolded("blank-end.csv", ids + "\n\n");
        expectFolded("spaces-line.csv", "id,n,name\n1,5,a\n   \n2,6,b\n3,5,c\n\t\n4,6,d\n");
        expectFolded("quoted-blank.csv", "id,n,name\n1,5,a\n\"\"\n2,6,b\n3,5,c\n4,6,d\n");
        expectFolded("crlf.csv", ids.replace("\n", "\r\n"));
        expectFolded("lone-cr.csv", ids.replace("\n", "\r"));
        expectFolded("cr-then-lf.csv", "id,n,name\n1,5,a\n\r2,6,b\n3,5,c\r\n\r\n4,6,d\n");
        expectFolded("no-final-newline.csv", "id,n,name\n1,5,a\n2,6,b\n3,5,c\n4,6,d");
        expectFolded(
                "quoted.csv",
                "\"id\",\"n\",\"name\"\n\"1\",\"5\",\"a, b\"\n2,\"6\",\"say \"\"hi\"\"\"\n3,5,c\n4,6,d\n");
        expectFolded("signs.csv", "id,n,name\n+1,-5,a\n 2,  6,b\n3 ,-0,c\n4,+0,d\n5,\t7,e\n");
        expectFolded(
                "wide.csv",
                "id,n,name\n1,9223372036854775807,a\n2,-9223372036854775808,b\n3,1234567890123456789,c\n4,5,d\n");
        expectFolded("decreasing.csv", "id,n,name\n5,5,a\n4,5,b\n3,5,c\n3,5,d\n");
        expectFolded("later-text.csv", "id,n,name\n1,5,a\n2,6,b\n3,x,c\n4,6,d\n");
        StringBuilder many = new StringBuilder("id,n,name\n");
        for (int row = 0; row < 500; row++) {
            many.append(row)
                    .append(',')
                    .append((row * 37) % 211)
                    .append(",x")
                    .append(row % 3)
                    .append('\n');
        }
        expectFolded("many.csv", many.toString());

        // the pass cannot speak for these: the columns are scanned, with the same result
        expectScanned("spans-lines.csv", "id,n,name\n1,5,\"a\nb\"\n2,6,b\n3,5,c\n4,6,d\n");
        expectScanned("blank-above-header.csv", "\n" + ids);
        expectScanned("spaces-above-header.csv", "  \n" + ids);
    }

    @Test
    void sameAsTheScanOfTheCanonicalCopyATypedReaderWrote() throws IOException {
        int folded = 0;
        for (FormatFixtures.Expected e : FormatFixtures.corpus()) {
            String name = e.uploadName().toLowerCase(Locale.ROOT);
            if (e.status() != 201
                    || !(name.endsWith(".parquet") || name.endsWith(".arrow") || name.endsWith(".feather"))) {
                continue;
            }
            for (ParsedTable table : parseAny(e.file(), e.uploadName()).tables()) {
                for (int maxCodes : MAX_CODES) {
                    assertSame(table, table.canonical(), prescan(e.file(), table, maxCodes), maxCodes, name);
                }
                folded += table.integers() != null ? 1 : 0;
            }
        }
        assertTrue(folded >= 3, "typed corpus tables whose integer columns came from the pass: " + folded);

        String ids = "{\"id\": 1, \"n\": 5, \"name\": \"a\"}\n{\"id\": 2, \"n\": 6, \"name\": \"b\"}\n"
                + "{\"id\": 3, \"n\": 5, \"name\": \"c\"}\n{\"id\": 4, \"n\": -6, \"name\": \"d\"}\n";
        expectTypedFolded("plain.jsonl", ids);
        expectTypedFolded("decreasing.jsonl", ids + "{\"id\": 2, \"n\": 5, \"name\": \"e\"}\n");
        expectTypedFolded("wide.jsonl", ids + "{\"id\": 9223372036854775807, \"n\": 5, \"name\": \"e\"}\n");
        expectTypedFolded("quoted.jsonl", ids + "{\"id\": 5, \"n\": 5, \"name\": \"say \\\"hi\\\", then go\"}\n");
        expectTypedFolded("missing.jsonl", ids + "{\"id\": 5, \"name\": \"e\"}\n");
        expectTypedFolded("one-column.jsonl", "{\"id\": 3}\n{\"id\": 1}\n{}\n{\"id\": 2}\n");
        // a text spanning lines: the copy's lines are not its records, so its integer columns are scanned
        Path spans = write("spans.jsonl", ids + "{\"id\": 5, \"n\": 5, \"name\": \"two\\nlines\"}\n");
        ParsedTable table = parseAny(spans, "spans.jsonl").tables().get(0);
        assertNull(table.integers(), "the pass does not speak for a copy whose records span lines");
        assertSame(table, table.canonical(), prescan(spans, table, 12), 12, "spans.jsonl");
    }

    @Test
    void sameAsTheScanOfTheCopyDuckDbWroteForAParquetUpload() throws Exception {
        String rows =
                "SELECT i AS id, i % 5 + 1 AS code, -(i % 70) AS neg, 20000 - i AS down, i * 1000000000000 AS big,"
                        + " 7 AS same, ['a', 'b, c', 'say \"hi\"'][i % 3 + 1] || i::VARCHAR AS name FROM range(20000) t(i)";
        Path plain = parquet("plain.parquet", rows);
        ParsedTable table = parseAny(plain, "plain.parquet").tables().get(0);
        assertNotNull(table.integers(), "DuckDB's copy: the integer columns came with it");
        for (int maxCodes : MAX_CODES) {
            IntegerPrescan prescan = prescan(plain, table, maxCodes);
            // past the values the pass keeps, a column with more distinct values (the ids) is scanned
            assertTrue(
                    prescan.scanned(1) && (prescan.scanned(0) || maxCodes >= IntegerValues.KEPT), prescan.toString());
            assertSame(table, table.canonical(), prescan, maxCodes, "plain.parquet");
        }
        Path spans = parquet("spans.parquet", rows.replace("'a'", "e'two\\nlines'"));
        ParsedTable spanning = parseAny(spans, "spans.parquet").tables().get(0);
        assertNull(spanning.integers(), "a text spanning lines: the copy's integer columns are scanned");
        assertSame(spanning, spanning.canonical(), prescan(spans, spanning, 12), 12, "spans.parquet");
    }

    /** A Parquet file DuckDB writes from {@code select}, in row groups of 1,000 rows. */
    private Path parquet(String name, String select) throws Exception {
        Path file = dir.resolve(name);
        try (Connection db = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement st = db.createStatement()) {
            st.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet, ROW_GROUP_SIZE 1000)");
        }
        return file;
    }

    private void expectTypedFolded(String name, String text) throws IOException {
        Path file = write(name, text);
        ParsedTable table = parseAny(file, name).tables().get(0);
        assertNotNull(table.canonical(), name + ": a typed reader writes a canonical copy");
        assertNotNull(table.integers(), name + ": the pass gathered the integer columns");
        for (int maxCodes : MAX_CODES) {
            assertSame(table, table.canonical(), prescan(file, table, maxCodes), maxCodes, name);
        }
    }

    private ParsedUpload parseAny(Path file, String name) throws IOException {
        return FormatFixtures.parser().parse(file, name, Files.createTempDirectory(dir, "w"));
    }

    @Test
    void aPrescanOfAnotherFileOrBoundIsIgnored() throws IOException {
        Path first = write("a.csv", "id,n\n1,5\n2,6\n3,5\n4,5\n");
        Path second = write("b.csv", "id,n\n4,1\n3,2\n2,3\n1,4\n");
        ParsedTable table = parse(second);
        IntegerPrescan ofFirst = IntegerPrescan.folded(first, parse(first).integers(), 12);
        assertSame(table, second, ofFirst, 12, "another file");
        IntegerPrescan otherBound = IntegerPrescan.folded(second, table.integers(), 2);
        assertSame(table, second, otherBound, 12, "another bound");
    }

    private void expectFolded(String name, String text) throws IOException {
        Path file = write(name, text);
        ParsedTable table = parse(file);
        assertNotNull(table.integers(), name + ": the pass gathered the integer columns");
        for (int maxCodes : MAX_CODES) {
            IntegerPrescan prescan = prescan(file, table, maxCodes);
            // past the values the pass keeps, a column with more distinct values is scanned
            assertTrue(
                    prescan.scanned(0) || maxCodes >= IntegerValues.KEPT,
                    name + ": the id column came from the pass: " + prescan);
            assertSame(table, file, prescan, maxCodes, name);
        }
    }

    private void expectScanned(String name, String text) throws IOException {
        Path file = write(name, text);
        ParsedTable table = parse(file);
        assertNull(table.integers(), name + ": the pass does not speak for this file");
        IntegerPrescan prescan = prescan(file, table, 12);
        assertFalse(prescan.scanned(0), prescan.toString());
        assertSame(table, file, prescan, 12, name);
        assertFalse(describe(IntegerColumns.scan(table.schema(), file, 12)).isEmpty(), name + ": has integer columns");
    }

    /** What the intake gives the drafts: the pass's integer columns of the file the dataset is read from. */
    private static IntegerPrescan prescan(Path file, ParsedTable table, int maxCodes) {
        return IntegerPrescan.folded(table.canonical() == null ? file : table.canonical(), table.integers(), maxCodes);
    }

    private static void assertSame(ParsedTable table, Path scanned, IntegerPrescan prescan, int maxCodes, String what)
            throws IOException {
        Map<String, String> expected = describe(IntegerColumns.scan(table.schema(), scanned, maxCodes));
        assertEquals(expected, describe(prescan.columns(table.schema(), scanned, maxCodes)), what + " " + maxCodes);
        assertEquals(
                DictionaryDrafts.draft(table.schema(), scanned, maxCodes),
                DictionaryDrafts.draft(table.schema(), scanned, maxCodes, prescan),
                what + " " + maxCodes);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private ParsedTable parse(Path file) throws IOException {
        ParsedTable table =
                parseAny(file, file.getFileName().toString()).tables().get(0);
        assertEquals(null, table.canonical(), file + ": the test files are canonical");
        return table;
    }

    private static Map<String, String> describe(Map<String, IntColumn> columns) {
        Map<String, String> out = new TreeMap<>();
        columns.forEach((name, c) -> out.put(name, (c.increasing ? "increasing " : "not increasing ") + c.values));
        return out;
    }
}
