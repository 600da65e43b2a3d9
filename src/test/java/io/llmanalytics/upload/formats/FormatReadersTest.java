package io.llmanalytics.upload.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.opencsv.CSVReader;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.testing.Corpus;
import io.llmanalytics.upload.FileFormat;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.ParsedUpload;
import io.llmanalytics.upload.TableParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet, Arrow, ODS and JSON Lines readers without the application: every corpus file gives its documented
 * shape or a 4xx; cell values checked against independent sources (the corpus's _expect.csv files and descriptions;
 * pandas reading ODS and JSON Lines fixtures that odfpy and this test wrote); damaged files (truncated, bytes
 * changed) only ever give a 4xx; names and signatures must agree; zip bombs and bad lines are refused precisely.
 */
class FormatReadersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private final TableParser parser = FormatFixtures.parser();

    private ParsedUpload parse(Path file, String name) throws IOException {
        Path dir = Files.createTempDirectory(work, "w");
        return parser.parse(file, name, dir);
    }

    @TestFactory
    Stream<DynamicTest> everyFormatsCorpusFileHasItsDocumentedShapeOrA4xx() {
        List<FormatFixtures.Expected> all = FormatFixtures.corpus();
        assertEquals(26, all.size(), "every file of formats/ but the two _expect.csv and the .md");
        return all.stream()
                .map(e -> DynamicTest.dynamicTest(e.uploadName(), () -> {
                    if (e.status() != 201) {
                        ProblemException p =
                                assertThrows(ProblemException.class, () -> parse(e.file(), e.uploadName()));
                        assertEquals(
                                e.status(), p.problem().status(), p.problem().detail());
                        assertTrue(
                                p.problem().detail().length() > 30, p.problem().detail());
                        return;
                    }
                    ParsedUpload upload = parse(e.file(), e.uploadName());
                    assertEquals(1, upload.tables().size());
                    ParsedTable table = upload.tables().get(0);
                    assertEquals(e.rows(), table.schema().rows());
                    Map<String, String> dtypes = new LinkedHashMap<>();
                    for (ColumnSchema c : table.schema().columns()) {
                        dtypes.put(c.name(), c.type().dtype());
                    }
                    assertEquals(e.dtypes(), dtypes);
                    assertEquals(e.rows() + 1, lines(table.canonical()).size(), "header and one record per row");
                }));
    }

    @Test
    void deltaEncodedValuesEqualTheCorpusExpectations() throws IOException {
        for (String name : List.of("delta_encoding_optional_column", "delta_encoding_required_column")) {
            ParsedTable t = parse(Corpus.file("formats/parquet/" + name + ".parquet"), name + ".parquet")
                    .tables()
                    .get(0);
            List<String[]> got = lines(t.canonical());
            List<String[]> want = lines(Corpus.file("formats/parquet/" + name + "_expect.csv"));
            assertEquals(want.size(), got.size(), name);
            for (int r = 1; r < want.size(); r++) {
                for (int c = 0; c < want.get(r).length; c++) {
                    assertEquals(want.get(r)[c], got.get(r)[c], name + " row " + r + " column " + c);
                }
            }
        }
    }

    @Test
    void anInt96ValueThatCannotBeDecodedFaithfullyIsRefusedNamingTheColumn() {
        // int96_from_spark.md: the sixth value is in year 290000, beyond what 64-bit nanoseconds (or DuckDB) decode.
        ProblemException p = assertThrows(
                ProblemException.class,
                () -> parse(Corpus.file("formats/parquet/int96_from_spark.parquet"), "int96.parquet"));
        assertEquals(400, p.problem().status());
        assertTrue(
                p.problem().detail().contains("Column 'a'")
                        && p.problem().detail().contains("INT96"),
                p.problem().detail());
    }

    @Test
    void timestampsOutsideDatetime64RangeKeepTheirColumnAsText() throws IOException {
        ParsedTable t = parse(Corpus.file("formats/arrow/generated_datetime.arrow_file"), "dt.arrow")
                .tables()
                .get(0);
        List<String[]> rows = lines(t.canonical());
        assertEquals("0001-01-01 00:00:00", rows.get(1)[10], "year 1 kept as written, as text");
    }

    @Test
    void decimalsAndNestedValuesKeepTheirValues() throws IOException {
        ParsedTable dec = parse(Corpus.file("formats/parquet/byte_array_decimal.parquet"), "d.parquet")
                .tables()
                .get(0);
        double sum = 0;
        List<String[]> rows = lines(dec.canonical());
        for (int r = 1; r < rows.size(); r++) {
            sum += Double.parseDouble(rows.get(r)[0]);
        }
        assertEquals(300.0, sum, 1e-9, "the values are 1.00 .. 24.00");
        ParsedTable nested = parse(Corpus.file("formats/parquet/nonnullable.impala.parquet"), "n.parquet")
                .tables()
                .get(0);
        String[] row = lines(nested.canonical()).get(1);
        assertEquals("8", row[0]);
        assertEquals("[-1]", row[1]);
        assertEquals(JSON.readTree("{\"k1\": -1}"), JSON.readTree(row[3]));
        assertEquals(
                JSON.readTree("{\"a\":-1,\"B\":[-1],\"c\":{\"D\":[[{\"e\":-1,\"f\":\"nonnullable\"}]]},\"G\":{}}"),
                JSON.readTree(row[5]));
        ParsedTable plain = parse(Corpus.file("formats/parquet/alltypes_plain.parquet"), "p.parquet")
                .tables()
                .get(0);
        List<String[]> p = lines(plain.canonical());
        assertEquals(
                List.of("4", "True", "0", "0", "0", "0", "0.0", "0.0", "03/01/09", "0", "2009-03-01 00:00:00"),
                List.of(p.get(1)));
        assertEquals("1.1", p.get(2)[6], "float32 1.1 as pandas shows it");
    }

    @Test
    void everyCodecReadsTheSameValues() throws Exception {
        // The corpus has snappy, zstd, lz4_raw, brotli and uncompressed files; gzip and lz4 are written here.
        for (String codec : List.of("gzip", "lz4", "snappy", "zstd", "brotli", "uncompressed")) {
            Path file = work.resolve("codec-" + codec + ".parquet");
            try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                    java.sql.Statement st = db.createStatement()) {
                st.execute("COPY (SELECT i AS n, 'v' || (i % 10) AS s FROM range(3000) t(i)) TO '" + file
                        + "' (FORMAT parquet, COMPRESSION " + codec + ", ROW_GROUP_SIZE 1000)");
            }
            ParsedTable t = parse(file, "c.parquet").tables().get(0);
            assertEquals(3000, t.schema().rows(), codec);
            List<String[]> rows = lines(t.canonical());
            long sum = 0;
            for (int r = 1; r < rows.size(); r++) {
                sum += Long.parseLong(rows.get(r)[0]);
                assertEquals("v" + (Long.parseLong(rows.get(r)[0]) % 10), rows.get(r)[1], codec);
            }
            assertEquals(3000L * 2999 / 2, sum, codec);
        }
    }

    @Test
    void arrowDictionaryColumnsBecomeTheirValues() throws IOException {
        ParsedTable t = parse(Corpus.file("formats/arrow/generated_dictionary.arrow_file"), "d.arrow")
                .tables()
                .get(0);
        List<String[]> rows = lines(t.canonical());
        for (int r = 1; r < rows.size(); r++) {
            for (String cell : List.of(rows.get(r)[0], rows.get(r)[1])) {
                assertTrue(cell.isEmpty() || !cell.matches("-?\\d+"), "a dictionary value, not an index: " + cell);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> damagedParquetAndArrowFilesOnlyEverGiveA4xx() throws IOException {
        Random random = new Random(16);
        List<DynamicTest> tests = new ArrayList<>();
        for (FormatFixtures.Expected e : FormatFixtures.corpus()) {
            if (e.status() != 201) {
                continue;
            }
            byte[] data = Files.readAllBytes(e.file());
            for (int i = 0; i < 4; i++) {
                byte[] cut = java.util.Arrays.copyOf(data, 8 + random.nextInt(data.length - 8));
                byte[] flipped = data.clone();
                for (int k = 0; k <= random.nextInt(8); k++) {
                    flipped[8 + random.nextInt(data.length - 16)] = (byte) random.nextInt(256);
                }
                tests.add(damaged(e.uploadName() + " cut at " + cut.length, cut, e.uploadName()));
                tests.add(damaged(e.uploadName() + " bytes changed #" + i, flipped, e.uploadName()));
            }
        }
        return tests.stream();
    }

    private DynamicTest damaged(String title, byte[] content, String name) {
        return DynamicTest.dynamicTest(title, () -> {
            Path file = Files.write(Files.createTempFile(work, "damaged", ".bin"), content);
            try {
                ParsedUpload u = parse(file, name);
                assertTrue(!u.tables().isEmpty());
            } catch (ProblemException p) {
                assertTrue(
                        p.problem().status() >= 400 && p.problem().status() < 500,
                        p.problem().detail());
            }
        });
    }

    @Test
    void namesAndSignaturesMustAgree() throws IOException {
        Path csv = Files.writeString(work.resolve("a.csv"), "a,b\n1,2\n");
        ProblemException p = assertThrows(ProblemException.class, () -> parse(csv, "sales.parquet"));
        assertEquals(400, p.problem().status());
        assertTrue(
                p.problem().detail().contains(".parquet")
                        && p.problem().detail().contains("text (such as CSV)"),
                p.problem().detail());
        Path parquet = Corpus.file("formats/parquet/alltypes_plain.parquet");
        p = assertThrows(ProblemException.class, () -> parse(parquet, "alltypes.csv"));
        assertTrue(
                p.problem().detail().contains("its content is a Parquet file"),
                p.problem().detail());
        p = assertThrows(ProblemException.class, () -> parse(csv, "a.feather"));
        assertTrue(p.problem().detail().contains("Feather"), p.problem().detail());
        p = assertThrows(ProblemException.class, () -> parse(csv, "a.jsonl"));
        assertTrue(p.problem().detail().contains("JSON Lines"), p.problem().detail());
        p = assertThrows(
                ProblemException.class,
                () -> parse(Corpus.file("formats/parquet/uniform_encryption.parquet.encrypted"), "u.parquet"));
        assertTrue(p.problem().detail().contains("encrypted"), p.problem().detail());
        Path feather1 =
                Files.write(work.resolve("old.feather"), "FEA1\0\0\0\0rest".getBytes(StandardCharsets.US_ASCII));
        p = assertThrows(ProblemException.class, () -> parse(feather1, "old.feather"));
        assertTrue(
                p.problem().detail().contains("Feather version 1"), p.problem().detail());
        // Without an extension the signature decides.
        assertEquals(FileFormat.PARQUET, parse(parquet, "upload").format());
        assertEquals(
                FileFormat.ARROW,
                parse(Corpus.file("formats/arrow/generated_nested.arrow_file"), "upload")
                        .format());
        assertEquals(
                FileFormat.ARROW,
                parse(Corpus.file("formats/arrow/generated_nested.arrow_file"), "x.feather")
                        .format());
    }

    // ---- ODS ----

    private Path ods(String name, Map<String, List<List<Object>>> book) throws Exception {
        Path file = work.resolve(name);
        FormatFixtures.python(FormatFixtures.WRITE_ODS, file.toString(), JSON.writeValueAsString(book));
        return file;
    }

    @Test
    void everyNonEmptyOdsSheetIsADatasetAsPandasReadsIt() throws Exception {
        Map<String, List<List<Object>>> book = new LinkedHashMap<>();
        book.put("Empty", List.of());
        book.put(
                "sales",
                List.of(
                        List.of("region", "units", "price", "paid", "day"),
                        List.of("North", 3, 2.5, true, "date:2024-01-31"),
                        List.of("South", 5, 1.25, false, "date:2024-02-01"),
                        Stream.of("East", null, 4.0, true, "date:2024-02-02")
                                .map(v -> (Object) v)
                                .toList(),
                        List.of("West, \"quoted\"", 7, 10.5, false, "date:2024-02-03")));
        book.put("ʤ codes", List.of(List.of("code", "label"), List.of("007", "x"), List.of("012", "y")));
        Path file = ods("book.ods", book);
        ParsedUpload upload = parse(file, "book.ods");
        assertEquals(FileFormat.ODS, upload.format());
        JsonNode pandas = FormatFixtures.python(FormatFixtures.PANDAS_SHAPE, "ods", file.toString());
        assertEquals(pandas.size(), upload.tables().size(), pandas::toString);
        int i = 0;
        for (var sheet : (Iterable<Map.Entry<String, JsonNode>>) pandas::fields) {
            ParsedTable t = upload.tables().get(i++);
            assertEquals(sheet.getKey(), t.schema().name());
            if (sheet.getKey().equals("ʤ codes")) {
                // The service's documented rule (README, "How uploads are read"): codes with leading zeros stay text,
                // where pandas would turn 007 into 7.
                assertEquals(
                        List.of("object", "object"),
                        t.schema().columns().stream().map(c -> c.type().dtype()).toList());
                continue;
            }
            assertEquals(sheet.getValue().get("rows").asLong(), t.schema().rows());
            List<String> names =
                    t.schema().columns().stream().map(ColumnSchema::name).toList();
            assertEquals(JSON.convertValue(sheet.getValue().get("columns"), List.class), names);
            List<String> dtypes =
                    t.schema().columns().stream().map(c -> c.type().dtype()).toList();
            assertEquals(JSON.convertValue(sheet.getValue().get("dtypes"), List.class), dtypes, sheet.getKey());
        }
        List<String[]> sales = lines(upload.tables().get(0).canonical());
        assertEquals("West, \"quoted\"", sales.get(4)[0]);
        assertEquals("", sales.get(3)[1], "the empty cell is missing");
        assertEquals(
                15.0,
                Double.parseDouble(sales.get(1)[1])
                        + Double.parseDouble(sales.get(2)[1])
                        + Double.parseDouble(sales.get(4)[1]),
                pandas.get("sales").get("sums").get("units").asDouble());
    }

    @Test
    void odsZipBombsEncryptedAndForeignZipsAreRefused() throws Exception {
        Path bomb = work.resolve("bomb.ods");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            storedMimetype(zip);
            zip.putNextEntry(new ZipEntry("content.xml"));
            zip.write(
                    "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\">"
                            .getBytes(StandardCharsets.UTF_8));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 300; i++) {
                zip.write(spaces);
            }
            zip.write("</office:document-content>".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(Files.size(bomb) < 2 << 20, "300 MB of XML in a small zip");
        ProblemException p = assertThrows(ProblemException.class, () -> parse(bomb, "bomb.ods"));
        assertEquals(400, p.problem().status());
        assertTrue(p.problem().detail().contains("zip bomb"), p.problem().detail());

        Path encrypted = work.resolve("secret.ods");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(encrypted))) {
            storedMimetype(zip);
            zip.putNextEntry(new ZipEntry("META-INF/manifest.xml"));
            zip.write(
                    "<manifest:manifest><manifest:file-entry><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"
                            .getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("content.xml"));
            zip.write(new byte[] {1, 2, 3});
        }
        p = assertThrows(ProblemException.class, () -> parse(encrypted, "secret.ods"));
        assertTrue(p.problem().detail().contains("password"), p.problem().detail());

        Path other = work.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(other))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        p = assertThrows(ProblemException.class, () -> parse(other, "book.ods"));
        assertEquals(400, p.problem().status());
        assertTrue(
                p.problem().detail().contains("not an OpenDocument spreadsheet"),
                p.problem().detail());
    }

    /** The mimetype entry first and uncompressed, as OpenDocument requires (its signature). */
    private static void storedMimetype(ZipOutputStream zip) throws IOException {
        byte[] mime = "application/vnd.oasis.opendocument.spreadsheet".getBytes(StandardCharsets.US_ASCII);
        ZipEntry entry = new ZipEntry("mimetype");
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(mime.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(mime);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(mime);
        zip.closeEntry();
    }

    // ---- JSON Lines ----

    @Test
    void jsonLinesReadAsPandasReadsTheRecords() throws Exception {
        String text = """
                {"id": 1, "name": "Ann", "score": 3.5, "ok": true, "tags": ["a", "b"]}
                {"id": 2, "name": "Bob", "score": null, "ok": false}

                {"id": 3, "name": "Cé", "score": 1.25, "ok": true, "tags": [], "extra": {"k": 1}}\r
                {"id": 4, "score": 2, "ok": false, "name": "Dee"}
                """;
        Path file = Files.writeString(work.resolve("people.jsonl"), text);
        ParsedUpload upload = parse(file, "people.jsonl");
        assertEquals(FileFormat.JSONL, upload.format());
        ParsedTable t = upload.tables().get(0);
        JsonNode pandas = FormatFixtures.python(FormatFixtures.PANDAS_SHAPE, "jsonl", file.toString())
                .get("data");
        assertEquals(pandas.get("rows").asLong(), t.schema().rows());
        assertEquals(
                JSON.convertValue(pandas.get("columns"), List.class),
                t.schema().columns().stream().map(ColumnSchema::name).toList());
        assertEquals(
                JSON.convertValue(pandas.get("dtypes"), List.class),
                t.schema().columns().stream().map(c -> c.type().dtype()).toList());
        List<String[]> rows = lines(t.canonical());
        assertEquals("[\"a\",\"b\"]", rows.get(1)[4]);
        assertEquals("{\"k\":1}", rows.get(3)[5]);
        assertEquals("Dee", rows.get(4)[1]);
        assertEquals(pandas.get("sums").get("score").asDouble(), 3.5 + 1.25 + 2, 1e-12);
    }

    @Test
    void aBadJsonLineIsA400NamingTheLine() throws IOException {
        Map<String, String> cases = Map.of(
                "{\"a\": 1}\n{\"a\": 2}\n{\"a\": \n", "Line 3",
                "{\"a\": 1}\n[1, 2]\n", "Line 2",
                "{\"a\": 1}\n{\"a\": 2} {\"a\": 3}\n", "Line 2",
                "{\"a\": 1}\n\n{\"a\": NaN}\n", "Line 3",
                "\n\n", "no records");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = Files.writeString(work.resolve("bad.jsonl"), c.getKey());
            ProblemException p = assertThrows(ProblemException.class, () -> parse(file, "bad.ndjson"), c.getKey());
            assertEquals(400, p.problem().status());
            assertTrue(p.problem().detail().contains(c.getValue()), p.problem().detail());
        }
    }

    @Test
    void theCellLimitAppliesToEveryFormat() throws IOException {
        TableParser small = FormatFixtures.parser(100);
        ProblemException p = assertThrows(
                ProblemException.class,
                () -> small.parse(
                        Corpus.file("formats/parquet/rle-dict-uncompressed-corrupt-checksum.parquet"),
                        "r.parquet",
                        Files.createTempDirectory(work, "w")));
        assertEquals(413, p.problem().status());
        Path jsonl = Files.writeString(work.resolve("many.jsonl"), "{\"a\": 1, \"b\": 2}\n".repeat(60));
        p = assertThrows(
                ProblemException.class, () -> small.parse(jsonl, "many.jsonl", Files.createTempDirectory(work, "w")));
        assertEquals(413, p.problem().status());
        p = assertThrows(
                ProblemException.class,
                () -> small.parse(
                        Corpus.file("formats/arrow/generated_decimal.arrow_file"),
                        "d.arrow",
                        Files.createTempDirectory(work, "w")));
        assertEquals(413, p.problem().status());
    }

    static List<String[]> lines(Path csv) throws IOException {
        assertNotNull(csv);
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVReader reader = new CSVReader(r)) {
            return reader.readAll();
        } catch (com.opencsv.exceptions.CsvException e) {
            fail(e);
            return List.of();
        }
    }
}
