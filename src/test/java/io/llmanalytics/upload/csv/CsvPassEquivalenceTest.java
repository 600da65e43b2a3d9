package io.llmanalytics.upload.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellClassifier;
import io.llmanalytics.schema.CellConventions;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.RaggedRowException;
import io.llmanalytics.schema.SampleValues;
import io.llmanalytics.schema.SchemaBuilder;
import io.llmanalytics.upload.CanonicalCsvWriter;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV pass ({@link CsvTableReader#read}) gives exactly what the sequential pass it replaced gave (kept below as
 * {@link #reference}: records read one by one, profiled, then rewritten): the same schema and profile (dtypes, nulls,
 * distinct counts, top values, samples, min/max, row count), the same canonical file byte for byte (or none), the same
 * NA list, or the same problem with the same line number. Over the shared corpus' messy CSVs, the DABench tables,
 * and generated files for the edge cases (quoted newlines, BOM, Windows-1252 fallback, decimal commas, backslash
 * escapes, ragged rows, NUL characters, over-long cells, an unclosed quote, a first quote far past the first batches,
 * errors of the parse and of the profile racing). The fingerprints are also compared with expectations stored from
 * the code before this pass was changed ({@code csv-equivalence/expected.txt}).
 */
class CsvPassEquivalenceTest {

    private static final Path CORPUS = Path.of("/work/shared/corpus");
    private static final ProfileOptions OPTIONS = new ProfileOptions(5, 10000, 5, 100_000_000L);
    private static final TableLimits LIMITS = new TableLimits(10000, 1_000_000);
    private static final List<String> PANDAS_NA =
            CellClassifier.NA_TOKENS.stream().sorted().toList();

    @TempDir
    Path dir;

    @Test
    void corpusFilesReadAsTheSequentialPassReadThem() throws Exception {
        List<Path> files = corpusFiles();
        assertTrue(files.size() >= 80, "the corpus holds " + files.size() + " CSV files");
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (Path file : files) {
            String expected = reference(file);
            String actual = current(file);
            assertEquals(expected, actual, file.toString());
            fingerprints.put(CORPUS.relativize(file).toString(), sha256(actual));
        }
        compareWithStored(STORED, fingerprints);
    }

    @Test
    void edgeCasesReadAsTheSequentialPassReadThem() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        StringBuilder many = new StringBuilder("id,name,amount,when\n");
        for (int i = 0; i < 20_000; i++) {
            many.append(i)
                    .append(",n")
                    .append(i % 37)
                    .append(',')
                    .append(i * 0.25)
                    .append(",2024-01-")
                    .append(1 + i % 28)
                    .append('\n');
        }
        String rows = many.toString();
        cases.put("plain.csv", rows);
        cases.put("late-quote.csv", rows + "20000,\"quoted,\nwith newline\",1.5,2024-02-01\n20001,x,2,2024-02-02\n");
        cases.put("late-ragged.csv", rows + "20000,x,1,2024-02-01,extra\n");
        cases.put("late-unclosed.csv", rows + "20000,\"open,1,2024-02-01\n20001,x,2,2024-02-02\n");
        cases.put("ragged-before-unclosed.csv", rows + "1,x,1,2024-02-01,extra\n20000,\"open,1,2024-02-01\n");
        cases.put("late-huge-cell.csv", rows + "1," + "y".repeat(1_000_001) + ",1,2024-02-01\n");
        cases.put("late-inf.csv", rows + "1,x,inf,2024-02-01\n");
        cases.put("late-nul.csv", rows + "1,x\0y,1,2024-02-01\n");
        cases.put("late-trailing-empty.csv", rows + "1,x,1,2024-02-01,,\n");
        cases.put("late-short.csv", rows + "1,x\n");
        cases.put("late-text-in-numbers.csv", rows + "1,x,n/a?,2024-02-01\n");
        cases.put("quoted-newlines.csv", "a,b\n\"line\none\",1\n\"x\r\ny\",2\n\"\"\"q\"\"\",3\n");
        cases.put("crlf.csv", "a,b\r\n1,x\r\n2,y\r\n\r\n3,z\r\n");
        cases.put("cr-only.csv", "a,b\r1,x\r2,\"y\rz\"\r");
        cases.put("header-only.csv", "a,b,c\n");
        cases.put("blank.csv", "\n\n\n");
        cases.put("decimal-comma.csv", "a;b;c\n1,5;x;1.234,5\n2,25;y;2\n3;z;WAHR\n");
        cases.put("backslash.csv", "a,b\n\"x \\\" y\",1\n\"p\\,q\",2\n");
        cases.put("space-after-delimiter.csv", "a, b\n1, \"x, y\"\n2, z\n");
        cases.put("comments.csv", "# comment\na,b\n1,2\n# more\n3,4\n");
        cases.put("bools.csv", "a,b,c\nTrue,1,true\nFalse,0,\nTRUE,1,false\n");
        cases.put("dates-mixed.csv", "a,b\n2024-01-02,1/2/2024\n2024/01/03,12/31/2023 1:45:00 PM\n");
        cases.put("codes.csv", "zip,n\n01234,1\n98765,2\n");
        cases.put("big-int.csv", "a\n123456789012345678901234\n1\n");
        // Round 2 of issue 20: number and date scanning, and text columns no longer classified once they hold text.
        cases.put(
                "number-forms.csv",
                "signs,exps,zeros,long,thousands,floats\n"
                        + "+1,1e5,0,12345678901234567,\"1,234\",0.1\n"
                        + "-2,-1.5E-3,00,123456789012345678,\"-12,345.5\",-.5\n"
                        + "+0,2.5e+22,0.0,1234567890123456789,\"9,999\",5.\n"
                        + "-0,1e-400,-0.0,9223372036854775807,1,1.0000000000000002\n"
                        + " 7 ,1e308,007,-9223372036854775808,2,123456789.123456789012\n"
                        + "\t8,3E22,+0.5,99999999999999999999999,3,0.30000000000000004\n");
        cases.put(
                "non-finite-tokens.csv",
                "a,b,c,d,e\ninf,1,nan,NaN,x\n-inf,2,-nan,1.5,Infinity\n+Infinity,3,,2,-INF\n"
                        + "1,-Inf,1.#IND,NULL,inf\n");
        cases.put("non-finite-in-text.csv", "a,b,c\nx,y,z\ninf,-Infinity,nan\n1e999,+inf,-nan\n1.5,2,3\n");
        StringBuilder textFirst = new StringBuilder("t,u,v\n");
        String[] later = {
            "1",
            "2.5",
            "-3e2",
            "",
            "NA",
            "nan",
            " ",
            "True",
            "false",
            "2024-01-31",
            "01234",
            "#N/A N/A",
            "-1.#IND",
            "None",
            "n/a",
            "<NA>",
            "1/31/2024",
            "inf",
            "x",
            "NULL",
            "12345678901234567890",
            "\"1,5\""
        };
        for (int i = 0; i < 3000; i++) {
            String cell = later[i % later.length];
            textFirst
                    .append(i == 0 ? "word" : cell)
                    .append(',')
                    .append(i < 2000 ? i : "late")
                    .append(',');
            textFirst.append(i % 7 == 0 ? "" : cell).append('\n');
        }
        cases.put("text-then-anything.csv", textFirst.toString());
        cases.put(
                "date-forms.csv",
                "a,b,c,d,e,f\n"
                        + "2024-02-29,2023-02-29,2024-01-31,2024/01/31,0001-01-01,2024-01-31 13:45:00\n"
                        + "2000-02-29,2024-13-01,2024-1-31,2024/12/01,9999-12-31,2024-01-31\n"
                        + "1900-03-01,2024-00-10,2024-01/31,1999/02/28,1970-01-01,2024-01-31T01:02:03.5\n");
        cases.put("decimal-comma-numbers.csv", "a;b;c\n1,5;-0,25;1e3\n+2,0;1,5e-2;,5\n3;1.234,5;7\n");
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        cases.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        bytes.put("bom.csv", concat(bom, "a,b\n1,é\n2,ü\n".getBytes(StandardCharsets.UTF_8)));
        bytes.put(
                "windows-1252-late.csv",
                concat(rows.getBytes(StandardCharsets.UTF_8), "1,caf\u00e9,1,2024-02-01\n".getBytes(cp1252())));
        bytes.put("windows-1252.csv", "a,b\n1,\u20ac uro\n2,na\u00efve\n".getBytes(cp1252()));
        bytes.put(
                "utf16.csv",
                concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "a,b\n1,x\n".getBytes(StandardCharsets.UTF_16LE)));
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> c : bytes.entrySet()) {
            Path file = dir.resolve(c.getKey());
            Files.write(file, c.getValue());
            String actual = current(file);
            assertEquals(reference(file), actual, c.getKey());
            fingerprints.put(
                    c.getKey(),
                    sha256(actual) + " "
                            + actual.substring(0, Math.min(60, actual.length())).replace('\n', ' '));
        }
        compareWithStored(STORED_EDGES, fingerprints);
    }

    private static Charset cp1252() {
        return Charset.forName("windows-1252");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<Path> corpusFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("files", "dabench/tables")) {
            try (Stream<Path> s = Files.list(CORPUS.resolve(sub))) {
                s.filter(p -> p.getFileName().toString().endsWith(".csv"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    /** What the current {@link CsvTableReader} gives: schema, NA list and canonical file, or the problem. */
    private String current(Path file) throws IOException {
        Path out = dir.resolve("current-" + file.getFileName());
        try {
            ParsedTable table = new CsvTableReader(OPTIONS, LIMITS).read(file, "t", out);
            return describe(table.schema(), table.naValues(), table.canonical());
        } catch (ProblemException e) {
            return "problem " + e.getMessage();
        } catch (RuntimeException e) {
            return "error " + e.getClass().getSimpleName() + " " + e.getMessage();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String describe(DatasetSchema schema, List<String> na, Path canonical) throws IOException {
        String copy = canonical == null ? "none" : sha256(Files.readString(canonical, StandardCharsets.UTF_8));
        return schema + "\nna " + na + "\ncanonical " + copy;
    }

    // The sequential pass as it was before records were parsed ahead (CsvTableReader and CanonicalRewriter).

    private String reference(Path file) throws IOException {
        Path out = dir.resolve("reference-" + file.getFileName());
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(CsvTableReader.SAMPLE_BYTES);
            }
            if (head.length == 0) {
                throw new ProblemException(ProblemType.EMPTY_FILE, "The file is empty (0 bytes).");
            }
            TextEncoding.Detected encoding = TextEncoding.detect(head, head.length);
            String sample =
                    new String(head, encoding.bomBytes(), head.length - encoding.bomBytes(), encoding.charset());
            Dialect dialect = DialectSniffer.sniff(sample, head.length < CsvTableReader.SAMPLE_BYTES, encoding);
            try {
                return referenceWith(file, dialect, out);
            } catch (CharacterCodingException e) {
                return referenceWith(file, dialect.withCharset(TextEncoding.WINDOWS_1252), out);
            }
        } catch (ProblemException e) {
            return "problem " + e.getMessage();
        } catch (RuntimeException e) {
            return "error " + e.getClass().getSimpleName() + " " + e.getMessage();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private String referenceWith(Path file, Dialect dialect, Path out) throws IOException {
        CellConventions conventions = dialect.decimalComma() ? CellConventions.DECIMAL_COMMA : CellConventions.TEXT;
        DatasetSchema schema;
        boolean reshaped;
        try (CsvRecords records = new CsvRecords(file, dialect, LIMITS)) {
            SchemaBuilder builder = new SchemaBuilder(Arrays.asList(records.header()), OPTIONS, conventions);
            reshaped = records.reshaped();
            String[] record;
            while ((record = records.next()) != null) {
                try {
                    reshaped |= builder.add(record).length < record.length;
                } catch (RaggedRowException e) {
                    throw CsvTableReader.ragged(e, records.line(), record, builder.width());
                }
            }
            if (builder.rows() == 0) {
                throw new ProblemException(
                        ProblemType.EMPTY_FILE,
                        "The file has a header (" + CsvTableReader.preview(builder.names()) + ") but no data rows.");
            }
            schema = builder.build("t");
            reshaped |= records.reshaped();
        }
        if (dialect.canonical() && !reshaped) {
            return describe(schema, PANDAS_NA, null);
        }
        PandasType[] types = schema.columns().stream().map(ColumnSchema::type).toArray(PandasType[]::new);
        try (CsvRecords records = new CsvRecords(file, dialect, LIMITS);
                CanonicalCsvWriter writer = new CanonicalCsvWriter(out)) {
            records.header();
            writer.header(schema.columnNames());
            String[] cells = new String[types.length];
            String[] record;
            while ((record = records.next()) != null) {
                for (int i = 0; i < types.length; i++) {
                    cells[i] = i < record.length ? SampleValues.canonical(record[i], types[i], conventions) : null;
                }
                writer.write(cells);
            }
        }
        return describe(schema, List.of(""), out);
    }

    private static final Path STORED = Path.of("src/test/resources/csv-equivalence/expected.txt");
    private static final Path STORED_EDGES = Path.of("src/test/resources/csv-equivalence/expected-edges.txt");

    /** Fingerprints stored from the code before this pass changed; {@code -Dcsv.equivalence.record=true} rewrites them. */
    private static void compareWithStored(Path stored, Map<String, String> fingerprints) throws IOException {
        StringBuilder text = new StringBuilder();
        fingerprints.forEach(
                (name, hash) -> text.append(hash).append("  ").append(name).append('\n'));
        if (Boolean.getBoolean("csv.equivalence.record")) {
            Files.createDirectories(stored.getParent());
            Files.writeString(stored, text.toString(), StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(stored, StandardCharsets.UTF_8), text.toString());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
