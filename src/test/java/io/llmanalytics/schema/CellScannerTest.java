package io.llmanalytics.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellScannerTest {

    private final CellScanner scanner = new CellScanner(false);

    @Test
    void everyMissingValueTokenIsNullAndNumbersLikeThemAreNot() {
        for (String token : CellClassifier.NA_TOKENS) {
            assertTrue(CellScanner.isNull(token), token);
            assertEquals(CellKind.NULL, scanner.scan(token), token);
        }
        for (String number :
                new String[] {"1", "1.5", "1.#", "1.#INDX", "-1", "-1.5", "-1.#INDEX", "-N", "10.#IND", "-Na"}) {
            assertFalse(CellScanner.isNull(number), number);
        }
    }

    @Test
    void missingValuesAreExactlyPandasTokensForWordsAndTheirNeighbours() {
        List<String> cells = new ArrayList<>(CellClassifier.NA_TOKENS);
        for (String token : CellClassifier.NA_TOKENS) {
            cells.add(token + "x");
            cells.add("x" + token);
            cells.add(token.toUpperCase());
            cells.add(token.toLowerCase());
            if (!token.isEmpty()) {
                cells.add(token.substring(1));
                cells.add(token.substring(0, token.length() - 1));
            }
        }
        cells.addAll(
                List.of("North", "Nord", "None ", "Nones", "nan5", "NAN", "Null", "nULL", "N/AA", "<NA", "#N/A N"));
        for (String cell : cells) {
            assertEquals(CellClassifier.NA_TOKENS.contains(cell), CellScanner.isNull(cell), cell);
        }
    }

    @Test
    void integersCarryTheirExactValue() {
        String[] cells = {"0", "-0", "+7", " 12 ", "-123456789012345678", "9223372036854775807", "-9223372036854775808"
        };
        for (String cell : cells) {
            assertEquals(CellKind.INT, scanner.scan(cell), cell);
            assertEquals(Long.parseLong(cell.strip()), scanner.integer(), cell);
        }
    }

    @Test
    void classifiesLikePandas() {
        assertEquals(CellKind.NULL, scanner.scan(""));
        assertEquals(CellKind.NULL, scanner.scan("NA"));
        assertEquals(CellKind.NULL, scanner.scan("n/a"));
        assertEquals(CellKind.NULL, scanner.scan("#N/A N/A"));
        assertEquals(CellKind.TEXT, scanner.scan("NONE"));
        assertEquals(CellKind.TEXT, scanner.scan("."));
        assertEquals(CellKind.TEXT, scanner.scan("-"));
        assertEquals(CellKind.TEXT, scanner.scan(" "));
        assertEquals(CellKind.INT, scanner.scan(" 12 "));
        assertEquals(CellKind.INT, scanner.scan("-0"));
        assertEquals(CellKind.CODE, scanner.scan("00123"));
        assertEquals(CellKind.BIG_INT, scanner.scan("99999999999999999999"));
        assertEquals(CellKind.INT, scanner.scan("9223372036854775807"));
        assertEquals(CellKind.FLOAT, scanner.scan("1e5"));
        assertEquals(CellKind.FLOAT, scanner.scan("+.5"));
        assertEquals(CellKind.FLOAT, scanner.scan("-1."));
        assertEquals(CellKind.TEXT, scanner.scan("1.5e"));
        assertEquals(CellKind.TEXT, scanner.scan("0x1F"));
        assertEquals(CellKind.TEXT, scanner.scan("1,5"));
        assertEquals(CellKind.FLOAT, scanner.scan("-inf"));
        assertEquals(Double.NEGATIVE_INFINITY, scanner.value());
        assertEquals(CellKind.FLOAT, scanner.scan("Infinity"));
        assertEquals(CellKind.BOOL, scanner.scan("TRUE"));
        assertEquals(CellKind.TEXT, scanner.scan(" True"));
        assertEquals(CellKind.TEXT, scanner.scan("yes"));
        assertEquals(CellKind.DATE, scanner.scan("2024-02-29"));
        assertEquals(CellKind.TEXT, scanner.scan("2023-02-29"));
        assertEquals(CellKind.DATE, scanner.scan("5/19/2006 0:00:00"));
        assertEquals(DateFormats.Family.US, scanner.family());
        assertEquals(CellKind.DATE, scanner.scan("2024/01/31 13:45"));
        assertEquals(DateFormats.Family.ISO, scanner.family());
        assertEquals(CellKind.DATE, scanner.scan("1/2/2020 10:05 PM"));
        assertEquals(CellKind.TEXT, scanner.scan("13/45/2020"));
        assertEquals(CellKind.TEXT, scanner.scan("2020-01-01T10:00:00+02:00"));
    }

    @Test
    void readsNumbersExactlyAsJavaParsesThem() {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            String text = switch (i % 5) {
                case 0 -> Long.toString(random.nextLong() % 1_000_000_000_000L);
                case 1 -> String.format("%.2f", random.nextDouble() * 10000);
                case 2 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(30) - 15));
                case 3 -> (random.nextBoolean() ? "-" : "") + random.nextInt(100000) + "." + random.nextInt(1000);
                default -> random.nextInt(1000) + "e" + (random.nextInt(40) - 20);
            };
            CellKind kind = scanner.scan(text);
            if (kind == CellKind.INT || kind == CellKind.FLOAT) {
                assertEquals(Double.parseDouble(text), scanner.value(), text);
            }
        }
    }

    @Test
    void decimalCommaNumbers() {
        CellScanner comma = new CellScanner(true);
        assertEquals(CellKind.FLOAT, comma.scan("81,20416129"));
        assertEquals(81.20416129, comma.value());
        assertEquals(CellKind.INT, comma.scan("2013"));
        assertEquals(CellKind.TEXT, comma.scan("1.5"));
        assertEquals(CellKind.TEXT, comma.scan("200.000.000"));
        assertEquals(CellKind.FLOAT, CellClassifier.classify("0,5", true));
        assertEquals(CellKind.TEXT, CellClassifier.classify("0.5", true));
        assertEquals(0.5, CellClassifier.toDouble("0,5", true));
    }

    @Test
    void datesBecomeEpochMillis() {
        assertEquals(CellKind.DATE, scanner.scan("1999-12-31 23:59:58.250"));
        assertEquals(
                LocalDateTime.of(1999, 12, 31, 23, 59, 58, 250_000_000)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli(),
                scanner.millis());
        assertEquals(CellKind.DATE, scanner.scan("1/1/1900"));
        assertEquals(
                LocalDateTime.of(1900, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli(), scanner.millis());
        assertEquals("1999-12-31T23:59:58.250", DateFormats.iso(DateFormats.parse("1999-12-31 23:59:58.25")));
        assertEquals("2020-01-02T22:05:00", DateFormats.iso(DateFormats.parse("1/2/2020 10:05 PM")));
        assertEquals("2020-01-02T00:05:00", DateFormats.iso(DateFormats.parse("1/2/2020 12:05 AM")));
    }
}
