package io.llmanalytics.dictionary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import io.llmanalytics.dictionary.IntegerColumns.IntColumn;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.formats.FormatFixtures;
import io.llmanalytics.upload.formats.FormatFixtures.ParsedCsv;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dictionary drafts' pass over the integer columns ({@link IntegerColumns}, on bytes) gives what the pass it
 * replaced gave (OpenCSV's {@code CSVReader} with its RFC 4180 parser, a string per cell, kept here as the reference),
 * so the drafts are identical: on every CSV of the shared corpus as uploaded (its canonical copy, or the file itself
 * when it is canonical), and on files written to reach every branch (quotes, fields spanning lines, line ends,
 * signs, spaces, blank lines, short rows, digits outside ASCII, bad UTF-8, an unterminated quote).
 */
class IntegerColumnsTest {

    private static final int MAX_CODES = 20;

    @TempDir
    Path dir;

    @Test
    void sameAsTheReferenceOnTheCorpus() throws IOException {
        int compared = 0;
        int withIntegers = 0;
        for (ParsedCsv csv : FormatFixtures.corpusCsvs(dir)) {
            for (ParsedTable table : csv.parsed().tables()) {
                Path scanned = table.canonical() == null ? csv.file() : table.canonical();
                for (int maxCodes : new int[] {2, MAX_CODES}) {
                    Map<String, String> expected = describe(reference(table.schema(), scanned, maxCodes));
                    assertEquals(
                            expected,
                            describe(scan(table.schema(), scanned, maxCodes)),
                            csv.file().toString());
                    withIntegers += expected.isEmpty() ? 0 : 1;
                }
                compared++;
            }
        }
        assertTrue(compared >= 20, "corpus CSVs compared: " + compared);
        assertTrue(withIntegers >= 5, "corpus CSVs with integer columns: " + withIntegers);
    }

    @Test
    void sameAsTheReferenceOnEveryBranch() throws IOException {
        DatasetSchema schema = schema("id,n,name,code\n1,5,a,7\n2,6,b,8\n");
        List<String> files = List.of(
                "id,n,name,code\n1,5,a,7\n2,6,b,8\n3,6,c,9\n",
                "id,n,name,code\r\n1,5,a,7\r\n2,6,b,8\r\n3,7,c,9",
                "id,n,name,code\r1,5,a,7\r2,6,b,8\r\r3,7,c,9\r",
                "id,n,name,code\n1,5,\"a, \"\"quoted\"\"\",7\n2,\"6\",b,8\n3,7,\"multi\nline\r\nname\",9\n4,8,d,10\n",
                "id,n,name,code\n1,5,\"x\n2\",7\n\"3\n\",6,b,8\n4, 7 ,c,+9\n5,-3,d,-0\n",
                "id,n,name,code\n1,5,a,7\n\n2,6,b\n3\n4,7,c,8,extra\n",
                "id,n,name,code\n1,٣,a,7\n2,99999999999999999999,b,8\n3,1.0,c,9\n4,,d,\n5,-,e,+\n",
                "id,n,name,code\n1,5,é,7\n2,6,ü,8\n",
                "id,n,name,code\n1,5,a,7\n2,6,\"unterminated,8\n3,7,c,9\n",
                "id,n,name,code\n1,5,a,7\n2,6,a\"b,8\n3,7,\"c\"d,9\n",
                "id,n,name,code\n3,5,a,7\n2,5,b,7\n1,5,c,7\n",
                "id,n,name,code\n" + "1,2,a,3\n".repeat(3) + "9223372036854775807,-9223372036854775808,b,1\n");
        int i = 0;
        for (String text : files) {
            Path file = dir.resolve("case-" + i++ + ".csv");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            for (int maxCodes : new int[] {1, 2, MAX_CODES}) {
                assertEquals(describe(reference(schema, file, maxCodes)), describe(scan(schema, file, maxCodes)), text);
            }
        }
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "id,n,name,code\n1,5,\u00e9,7\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(Map.of(), describe(reference(schema, latin1, MAX_CODES)));
        assertEquals(Map.of(), describe(scan(schema, latin1, MAX_CODES)));
    }

    @Test
    void linesLongerThanTheBufferAndRecordsAcrossItsEdge() throws IOException {
        DatasetSchema schema = schema("id,n,name,code\n1,5,a,7\n2,6,b,8\n");
        StringBuilder text = new StringBuilder("id,n,name,code\r\n");
        for (int row = 1; row <= 120_000; row++) {
            text.append(row).append(',').append(row % 7).append(',');
            text.append(row == 50_000 ? "x".repeat(3 << 20) : "name" + row).append(',');
            text.append(row % 3 == 0 ? "\"" + row + "\"" : Integer.toString(row))
                    .append("\r\n");
        }
        Path file = dir.resolve("long.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Map<String, String> expected = describe(reference(schema, file, MAX_CODES));
        assertEquals(expected, describe(scan(schema, file, MAX_CODES)));
        assertTrue(expected.get("id").startsWith("increasing"), expected.toString());
        assertFalse(expected.get("n").startsWith("increasing"), expected.toString());
    }

    private DatasetSchema schema(String csv) throws IOException {
        Path file = dir.resolve("schema.csv");
        Files.writeString(file, csv);
        DatasetSchema schema = FormatFixtures.parser()
                .parse(file, "schema.csv", Files.createTempDirectory(dir, "w"))
                .tables()
                .get(0)
                .schema();
        assertEquals(
                List.of(PandasType.INT64, PandasType.INT64, PandasType.OBJECT, PandasType.INT64),
                schema.columns().stream().map(ColumnSchema::type).toList());
        return schema;
    }

    private static Map<String, IntColumn> scan(DatasetSchema schema, Path file, int maxCodes) {
        try {
            return IntegerColumns.scan(schema, file, maxCodes);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private static Map<String, String> describe(Map<String, IntColumn> columns) {
        Map<String, String> out = new TreeMap<>();
        columns.forEach((name, c) -> out.put(name, (c.increasing ? "increasing " : "not increasing ") + c.values));
        return out;
    }

    /** The pass the drafts made before: OpenCSV's reader, a string per cell (as it was in DictionaryDrafts). */
    private static Map<String, IntColumn> reference(DatasetSchema schema, Path canonical, int maxCodes) {
        List<ColumnSchema> columns = schema.columns();
        Map<Integer, IntColumn> byIndex = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).type() == PandasType.INT64) {
                byIndex.put(i, new IntColumn());
            }
        }
        if (byIndex.isEmpty()) {
            return Map.of();
        }
        try (Reader in = Files.newBufferedReader(canonical, StandardCharsets.UTF_8);
                CSVReader csv = new CSVReaderBuilder(in)
                        .withCSVParser(new RFC4180ParserBuilder().build())
                        .withSkipLines(1)
                        .build()) {
            String[] row;
            while ((row = csv.readNext()) != null) {
                for (Map.Entry<Integer, IntColumn> e : byIndex.entrySet()) {
                    IntColumn c = e.getValue();
                    if (e.getKey() >= row.length) {
                        continue;
                    }
                    long v;
                    try {
                        v = Long.parseLong(row[e.getKey()].strip());
                    } catch (NumberFormatException notInt) {
                        c.increasing = false;
                        continue;
                    }
                    if (!c.first && v <= c.last) {
                        c.increasing = false;
                    }
                    c.first = false;
                    c.last = v;
                    if (c.values.size() <= maxCodes) {
                        c.values.add(v);
                    }
                }
            }
        } catch (IOException | CsvValidationException | RuntimeException e) {
            return Map.of();
        }
        Map<String, IntColumn> byName = new LinkedHashMap<>();
        byIndex.forEach((i, c) -> byName.put(columns.get(i).name(), c));
        return byName;
    }
}
