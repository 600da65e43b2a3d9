package io.llmanalytics.dictionary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.dictionary.IntegerColumns.IntColumn;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.ParsedUpload;
import io.llmanalytics.upload.formats.FormatFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integer pass started beside the parse ({@link IntegerPrescan}) gives the drafts the pass after the parse gives:
 * on every CSV of the shared corpus, and on files where the guess from the first rows is wrong both ways (a column
 * guessed integer that is not, an integer column the guess missed), quoted first rows, bad UTF-8, and a prescan of
 * another file (ignored).
 */
class IntegerPrescanTest {

    @TempDir
    Path dir;

    @Test
    void sameDraftsOnTheCorpus() throws IOException {
        Path corpus = Path.of("/work/shared/corpus/files");
        for (Path candidate : List.of(
                Path.of(System.getProperty("user.dir"), "../shared/corpus/files"),
                Path.of(System.getProperty("user.dir"), "../../shared/corpus/files"))) {
            if (Files.isDirectory(candidate)) {
                corpus = candidate.normalize();
                break;
            }
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(corpus)) {
            files = list.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        int compared = 0;
        int prescanned = 0;
        for (Path file : files) {
            ParsedUpload parsed;
            try {
                parsed = FormatFixtures.parser()
                        .parse(file, file.getFileName().toString(), Files.createTempDirectory(dir, "w"));
            } catch (ProblemException refused) {
                continue;
            }
            ParsedTable table = parsed.tables().get(0);
            Path scanned = table.canonical() == null ? file : table.canonical();
            for (int maxCodes : new int[] {2, 20}) {
                IntegerPrescan prescan = IntegerPrescan.scan(file, maxCodes);
                assertEquals(
                        DictionaryDrafts.draft(table.schema(), scanned, maxCodes),
                        DictionaryDrafts.draft(table.schema(), scanned, maxCodes, prescan),
                        file.toString());
                assertEquals(
                        describe(IntegerColumns.scan(table.schema(), scanned, maxCodes)),
                        describe(columns(prescan, table.schema(), scanned, maxCodes)),
                        file.toString());
                prescanned += table.canonical() == null && prescan.scanned(0) ? 1 : 0;
            }
            compared++;
        }
        assertTrue(compared >= 20, "corpus CSVs compared: " + compared);
        assertTrue(prescanned >= 2, "corpus CSVs whose prescan was used: " + prescanned);
    }

    @Test
    void aWrongGuessGivesTheSameDrafts() throws IOException {
        StringBuilder text = new StringBuilder("order_id,code,late,name,quoted\n");
        for (int row = 1; row <= 600; row++) {
            text.append(row).append(',').append(row % 5 + 1).append(',');
            // late: text in the first rows the guess reads, but an integer column: missed, scanned after the parse
            text.append(row <= 450 ? " " + (row % 4) : Integer.toString(row % 4))
                    .append(',');
            // name: digits in the first rows, text later: guessed, then dropped
            text.append(row <= 450 ? Integer.toString(row) : "n" + row).append(',');
            text.append(row % 2 == 0 ? "\"" + (row % 3) + "\"" : Integer.toString(row % 3))
                    .append('\n');
        }
        Path file = write("guess.csv", text.toString());
        DatasetSchema schema = schema(file);
        IntegerPrescan prescan = IntegerPrescan.scan(file, 20);
        assertTrue(
                prescan.scanned(0) && prescan.scanned(1) && prescan.scanned(3), "guessed: id, code, name: " + prescan);
        assertFalse(prescan.scanned(2), "the guess misses the padded column: " + prescan);
        assertTrue(
                describe(IntegerColumns.scan(schema, file, 20)).containsKey("late"),
                "the missed column is an integer column");
        StoredDictionary expected = DictionaryDrafts.draft(schema, file, 20);
        assertEquals(expected, DictionaryDrafts.draft(schema, file, 20, prescan));
        assertEquals(describe(IntegerColumns.scan(schema, file, 20)), describe(columns(prescan, schema, file, 20)));
        assertFalse(expected.columns().isEmpty(), expected.toString());
    }

    @Test
    void quotedFirstRowsAndUnscannableFiles() throws IOException {
        Path quoted = write("quoted.csv", "id,n\n\"1\",\"5\"\n\"2\",\"6\"\n3,5\n4,6\n5,5\n");
        IntegerPrescan prescan = IntegerPrescan.scan(quoted, 20);
        assertEquals(
                DictionaryDrafts.draft(schema(quoted), quoted, 20),
                DictionaryDrafts.draft(schema(quoted), quoted, 20, prescan));

        Path unterminated = write("open.csv", "id,n\n1,5\n2,6\n3,\"5\n");
        IntegerPrescan failed = IntegerPrescan.scan(unterminated, 20);
        assertThrows(IOException.class, () -> IntegerColumns.scan(new boolean[] {true, true}, unterminated, 20));
        assertThrows(
                IOException.class, () -> failed.columns(schema(write("s.csv", "id,n\n1,5\n2,6\n")), unterminated, 20));
    }

    @Test
    void aPrescanOfAnotherFileIsIgnored() throws IOException {
        Path first = write("a.csv", "id,n\n1,5\n2,6\n3,5\n4,5\n");
        Path second = write("b.csv", "id,n\n4,1\n3,2\n2,3\n1,4\n");
        IntegerPrescan prescan = IntegerPrescan.scan(first, 20);
        DatasetSchema schema = schema(second);
        assertEquals(describe(IntegerColumns.scan(schema, second, 20)), describe(columns(prescan, schema, second, 20)));
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private DatasetSchema schema(Path file) throws IOException {
        ParsedTable table = FormatFixtures.parser()
                .parse(file, file.getFileName().toString(), Files.createTempDirectory(dir, "w"))
                .tables()
                .get(0);
        assertEquals(null, table.canonical(), "the test files are canonical");
        return table.schema();
    }

    private static Map<String, IntColumn> columns(IntegerPrescan prescan, DatasetSchema schema, Path file, int max) {
        try {
            return prescan.columns(schema, file, max);
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static Map<String, String> describe(Map<String, IntColumn> columns) {
        Map<String, String> out = new TreeMap<>();
        columns.forEach((name, c) -> out.put(name, (c.increasing ? "increasing " : "not increasing ") + c.values));
        return out;
    }
}
