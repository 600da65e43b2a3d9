package io.llmanalytics.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written date and timestamp texts of {@link ColumnReader} are exactly what the formatters they replace
 * gave: {@code yyyy-MM-dd} and {@code yyyy-MM-dd HH:mm:ss[.SSSSSS]} (the fraction only when there is one), including
 * years outside four digits, which keep the formatter.
 */
class ColumnReaderFormatTest {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private static String viaFormatter(LocalDateTime t) {
        String text = t.format(TIME);
        return text.endsWith(".000000") ? text.substring(0, text.length() - 7) : text;
    }

    @Test
    void timestampsAsTheFormatterWroteThem() {
        List<LocalDateTime> edges = List.of(
                LocalDateTime.of(2020, 1, 1, 0, 0),
                LocalDateTime.of(1999, 12, 31, 23, 59, 59),
                LocalDateTime.of(2024, 2, 29, 12, 0, 1, 500_000_000),
                LocalDateTime.of(2024, 2, 29, 12, 0, 1, 1_000),
                LocalDateTime.of(2024, 2, 29, 12, 0, 1, 999),
                LocalDateTime.of(2024, 2, 29, 12, 0, 1, 123_456_789),
                LocalDateTime.of(1000, 1, 1, 0, 0),
                LocalDateTime.of(999, 6, 1, 8, 30),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
                LocalDateTime.of(10000, 1, 1, 0, 0),
                LocalDateTime.of(1, 1, 1, 0, 0, 0, 1000));
        for (LocalDateTime t : edges) {
            assertEquals(viaFormatter(t), ColumnReader.timestamp(t), t.toString());
        }
        Random random = new Random(16);
        for (int k = 0; k < 20_000; k++) {
            LocalDateTime t = LocalDateTime.of(
                    1 + random.nextInt(12_000),
                    1 + random.nextInt(12),
                    1 + random.nextInt(28),
                    random.nextInt(24),
                    random.nextInt(60),
                    random.nextInt(60),
                    random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            assertEquals(viaFormatter(t), ColumnReader.timestamp(t), t.toString());
        }
    }

    @Test
    void datesAsTheIsoFormatterWroteThem() {
        Random random = new Random(61);
        for (int k = 0; k < 20_000; k++) {
            LocalDate d = LocalDate.of(1 + random.nextInt(12_000), 1 + random.nextInt(12), 1 + random.nextInt(28));
            assertEquals(d.format(DateTimeFormatter.ISO_LOCAL_DATE), ColumnReader.day(d), d.toString());
        }
        assertEquals("0999-01-02", ColumnReader.day(LocalDate.of(999, 1, 2)));
        assertEquals("2024-02-29", ColumnReader.day(LocalDate.of(2024, 2, 29)));
    }
}
