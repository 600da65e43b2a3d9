package io.llmanalytics.upload.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RepeatedTextsTest {

    private static String text(RepeatedTexts texts, String field, int at, int capacity) {
        byte[] buffer = new byte[capacity];
        byte[] bytes = field.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(bytes, 0, buffer, at, bytes.length);
        Arrays.fill(buffer, 0, at, (byte) 'x');
        Arrays.fill(buffer, at + bytes.length, capacity, (byte) 'y');
        return texts.text(buffer, at, bytes.length);
    }

    @Test
    void everyFieldIsItsOwnBytesAndARepeatedValueSharesItsText() {
        // values that differ only past their 8th byte, only in length, only in their last byte, and the empty field;
        // each at the start, the middle and the very end of its buffer (the last bytes are read one by one there)
        List<String> values = List.of(
                "",
                "a",
                "ab",
                "North",
                "Electronics",
                "Electronicz",
                "Headphones",
                "1234567",
                "12345678",
                "123456789",
                "1234567890123456",
                "1234567890123457",
                "123456789012345",
                "Central",
                "Centra",
                "Centr");
        RepeatedTexts texts = new RepeatedTexts();
        Map<String, String> first = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (String value : values) {
                for (int[] place : new int[][] {{0, 32}, {5, 40}, {0, value.length()}, {3, value.length() + 3}}) {
                    String got = text(texts, value, place[0], place[1]);
                    assertEquals(value, got, () -> "at " + place[0] + " of " + place[1]);
                    String earlier = first.putIfAbsent(value, got);
                    if (round > 0) {
                        assertSame(earlier, got, value + " is read again as the same text");
                    }
                }
            }
        }
        assertTrue(texts.looking());
    }

    @Test
    void longerFieldsAreBuiltEachTime() {
        RepeatedTexts texts = new RepeatedTexts();
        String value = "x".repeat(RepeatedTexts.MAX_BYTES + 1);
        String a = text(texts, value, 0, 64);
        String b = text(texts, value, 0, 64);
        assertEquals(value, a);
        assertEquals(value, b);
        assertNotSame(a, b);
    }

    @Test
    void aColumnOfFewRepeatsStopsLookingAndStaysRight() {
        RepeatedTexts texts = new RepeatedTexts();
        for (int i = 0; i < RepeatedTexts.TRIAL; i++) {
            assertEquals(Integer.toString(i), text(texts, Integer.toString(i), 2, 16));
        }
        assertFalse(texts.looking(), "unique values: looking up does not pay");
        assertEquals("7", text(texts, "7", 0, 8));
        assertNotSame(text(texts, "7", 0, 8), text(texts, "7", 0, 8));
    }

    @Test
    void theFieldThatEndsTheTrialIsRightWhenItWasFound() {
        RepeatedTexts texts = new RepeatedTexts();
        for (int i = 0; i < RepeatedTexts.TRIAL - 1; i++) {
            text(texts, "u" + i, 0, 16);
        }
        String last = "u" + (RepeatedTexts.TRIAL - 2);
        assertEquals(last, text(texts, last, 0, 16), "the last field of the trial, found there");
        assertFalse(texts.looking());
    }

    @Test
    void randomFieldsAreAlwaysTheirOwnText() {
        // many values of up to 16 bytes from a small alphabet: slots are shared and values replace each other
        Random random = new Random(20);
        RepeatedTexts texts = new RepeatedTexts();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(RepeatedTexts.MAX_BYTES + 1);
            for (int j = 0; j < length; j++) {
                s.append((char) ('a' + random.nextInt(3)));
            }
            values.add(s.toString());
        }
        for (int i = 0; i < 20_000; i++) {
            String value = values.get(random.nextInt(i < RepeatedTexts.TRIAL ? 40 : values.size()));
            int at = random.nextInt(4);
            assertEquals(value, text(texts, value, at, at + value.length() + random.nextInt(9)));
        }
        assertTrue(texts.looking(), "40 values in the trial: most found");
    }

    @Test
    void splitFieldsShareRepeatedValuesPerColumnAndTheColumnsPastTheTablesAreRight() throws Exception {
        StringBuilder csv = new StringBuilder();
        int width = RecordSplitter.REPEATED_COLUMNS + 5;
        for (int row = 0; row < 3; row++) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < width; c++) {
                cells.add(c % 2 == 0 ? "East" : "v" + c);
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        RecordSplitter splitter = new RecordSplitter(
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), Dialect.CANONICAL, 100_000);
        List<String[]> rows = new ArrayList<>();
        while (splitter.advance()) {
            rows.add(splitter.fields());
        }
        assertEquals(3, rows.size());
        for (String[] fields : rows) {
            assertEquals(width, fields.length);
            for (int c = 0; c < width; c++) {
                assertEquals(c % 2 == 0 ? "East" : "v" + c, fields[c]);
            }
        }
        assertSame(rows.get(0)[2], rows.get(2)[2], "a column's repeated value is one text");
        assertNotSame(rows.get(0)[width - 1], rows.get(2)[width - 1], "columns past the tables: built each time");
    }
}
