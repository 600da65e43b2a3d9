package io.llmanalytics.upload.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.opencsv.ICSVParser;
import com.opencsv.RFC4180ParserBuilder;
import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records read by {@link CsvRecords} are the fields OpenCSV's RFC 4180 parser gives, quoted or not. */
class CsvRecordsTest {

    @TempDir
    Path dir;

    @Test
    void quoteFreeRecordsSplitExactlyAsOpenCsvDoes() throws IOException {
        Random random = new Random(42);
        String alphabet = "ab ;|\t.-,é";
        List<String> lines = new ArrayList<>();
        lines.add("h1,h2,h3");
        for (int i = 0; i < 5000; i++) {
            StringBuilder line = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = line.toString();
            if (!text.isBlank()) {
                lines.add(text);
            }
        }
        lines.add(",,");
        lines.add("x,");
        lines.add(",y");
        lines.add("\"quoted, with a comma\",plain,\"\"\"doubled\"\"\"");
        Path file = dir.resolve("random.csv");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        ICSVParser openCsv =
                new RFC4180ParserBuilder().withSeparator(',').withQuoteChar('"').build();
        try (CsvRecords records = new CsvRecords(file, Dialect.CANONICAL, new TableLimits(10_000, 1_000_000))) {
            assertArrayEquals(openCsv.parseLine(lines.get(0)), records.header());
            for (String line : lines.subList(1, lines.size())) {
                assertArrayEquals(openCsv.parseLine(line), records.next(), line);
            }
            assertNull(records.next());
        }
    }

    /**
     * Records split while they are read (delimiters noted by the splitter) give the fields the record's text split at
     * every delimiter gives, for each delimiter (tab below the line-break characters, pipe above the quote), with
     * NUL characters removed, empty records skipped and quoted records left to OpenCSV.
     */
    @Test
    void recordsSplitWhileReadGiveTheFieldsOfTheirText() throws IOException {
        Random random = new Random(7);
        for (char delimiter : new char[] {',', ';', '\t', '|'}) {
            String alphabet = "ab .-é\0" + delimiter;
            List<String> lines = new ArrayList<>();
            lines.add("h1" + delimiter + "h2");
            for (int i = 0; i < 3000; i++) {
                StringBuilder line = new StringBuilder();
                int length = random.nextInt(30);
                for (int j = 0; j < length; j++) {
                    line.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String text = line.toString();
                if (text.indexOf(delimiter) >= 0 || !text.replace("\0", "").isBlank()) {
                    lines.add(text);
                }
            }
            lines.add("\"q" + delimiter + "x\"" + delimiter + "y");
            Path file = dir.resolve("split-" + (int) delimiter + ".csv");
            Files.writeString(
                    file, String.join(random.nextBoolean() ? "\n" : "\r\n", lines) + "\n", StandardCharsets.UTF_8);
            Dialect dialect =
                    new Dialect(StandardCharsets.UTF_8, 0, delimiter, Dialect.NO_ESCAPE, false, 0, false, false);
            ICSVParser openCsv = new RFC4180ParserBuilder()
                    .withSeparator(delimiter)
                    .withQuoteChar('"')
                    .build();
            try (CsvRecords records = new CsvRecords(file, dialect, new TableLimits(10_000, 1_000_000))) {
                records.header();
                for (String line : lines.subList(1, lines.size())) {
                    String[] expected = openCsv.parseLine(line);
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] = expected[i].replace("\0", "");
                    }
                    assertArrayEquals(expected, records.next(), line);
                }
                assertNull(records.next());
            }
        }
    }
}
