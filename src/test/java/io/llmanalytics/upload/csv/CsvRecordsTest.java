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
}
