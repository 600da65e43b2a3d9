package io.llmanalytics.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentScansTest {

    /** Cells of every kind and of the edge cases the scanner tells apart. */
    private static final List<String> CELLS = List.of(
            "1",
            "007",
            "-12",
            "+5",
            " 12 ",
            "9223372036854775807",
            "9223372036854775808",
            "123456789012345678901234",
            "1.5",
            "1.0",
            "-0.0",
            ".5",
            "1e5",
            "1,5",
            "1.234.567,8",
            "inf",
            "-inf",
            "Infinity",
            "2024-01-02",
            "2024-01-02 10:30",
            "01/02/2024",
            "2024-02-30",
            "",
            "NA",
            "nan",
            "-NaN",
            "#N/A",
            "True",
            "false",
            "North",
            "a,b");

    private record Outcome(CellKind kind, double value, long integer, long millis, DateFormats.Family family) {}

    private static Outcome outcome(CellKind kind, CellScanner scanner) {
        return switch (kind) {
            case INT -> new Outcome(kind, scanner.value(), scanner.integer(), 0, null);
            case FLOAT -> new Outcome(kind, scanner.value(), 0, 0, null);
            case DATE -> new Outcome(kind, 0, 0, scanner.millis(), scanner.family());
            default -> new Outcome(kind, 0, 0, 0, null);
        };
    }

    @Test
    void aRepeatedCellGetsTheScanAFreshScanGivesIt() {
        for (boolean decimalComma : new boolean[] {false, true}) {
            RecentScans recent = new RecentScans();
            CellScanner memo = new CellScanner(decimalComma);
            CellScanner fresh = new CellScanner(decimalComma);
            for (int round = 0; round < 3; round++) {
                for (String cell : CELLS) {
                    // the same String, and an equal new one (as a column whose texts are not shared hands them over)
                    for (String text : List.of(cell, new String(cell))) {
                        Outcome expected = outcome(fresh.scan(text), fresh);
                        assertEquals(expected, outcome(recent.scan(text, memo), memo), "'" + text + "'");
                    }
                }
            }
            assertTrue(recent.looking());
        }
    }

    @Test
    void aColumnOfDistinctCellsStopsLookingAndARepeatingOneDoesNot() {
        RecentScans ids = new RecentScans();
        RecentScans quantities = new RecentScans();
        CellScanner scanner = new CellScanner(false);
        for (int i = 0; i < RecentScans.TRIAL; i++) {
            assertTrue(ids.looking());
            ids.scan("id-" + i, scanner);
            quantities.scan(Integer.toString(i % 12), scanner);
        }
        assertFalse(ids.looking());
        assertTrue(quantities.looking());
        // once it stops looking, it still scans
        assertEquals(CellKind.INT, ids.scan("42", scanner));
        assertEquals(42, scanner.integer());
    }

    @Test
    void theLookupThatEndsTheTrialStillGivesItsScan() {
        RecentScans recent = new RecentScans();
        CellScanner scanner = new CellScanner(false);
        for (int i = 0; i < RecentScans.TRIAL - 1; i++) {
            recent.scan(Integer.toString(i), scanner);
        }
        // the last lookup of the trial finds its cell, and the column stops looking with it
        assertEquals(CellKind.INT, recent.scan(Integer.toString(RecentScans.TRIAL - 2), scanner));
        assertEquals(RecentScans.TRIAL - 2, scanner.integer());
        assertFalse(recent.looking());
    }

    /**
     * The builder's columns past {@link SchemaBuilder#RECENT_SCAN_COLUMNS} scan every cell; the first ones keep their
     * recent scans. The same cells in a column of each kind give the same dtype, missing values and profile.
     */
    @Test
    void columnsWithAndWithoutRecentScansProfileAlike() {
        int kinds = 12;
        int width = SchemaBuilder.RECENT_SCAN_COLUMNS + kinds;
        List<String> header = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            header.add("c" + i);
        }
        SchemaBuilder builder = new SchemaBuilder(header, new ProfileOptions(5, 1000, 5, 100_000_000L));
        Random random = new Random(20);
        int rows = RecentScans.TRIAL * 2;
        for (int r = 0; r < rows; r++) {
            String[] row = new String[width];
            for (int k = 0; k < kinds; k++) {
                String cell = cell(k, r, random);
                row[k] = cell;
                row[SchemaBuilder.RECENT_SCAN_COLUMNS + k] = new String(cell);
            }
            for (int i = kinds; i < SchemaBuilder.RECENT_SCAN_COLUMNS; i++) {
                row[i] = "";
            }
            builder.add(row);
        }
        DatasetSchema schema = builder.build("t");
        for (int k = 0; k < kinds; k++) {
            ColumnSchema kept = schema.columns().get(k);
            ColumnSchema scanned = schema.columns().get(SchemaBuilder.RECENT_SCAN_COLUMNS + k);
            assertEquals(scanned.type(), kept.type(), "column kind " + k);
            assertEquals(scanned.nullCount(), kept.nullCount(), "column kind " + k);
            assertEquals(scanned.profile(), kept.profile(), "column kind " + k);
        }
    }

    /** Row {@code r}'s cell of a column of kind {@code k}: repeated values, mostly, with the cases that change a dtype. */
    private static String cell(int k, int r, Random random) {
        return switch (k) {
            case 0 -> Integer.toString(random.nextInt(12)); // quantities
            case 1 -> random.nextInt(50) + "." + random.nextInt(100); // prices
            case 2 -> "2024-%02d-%02d".formatted(1 + random.nextInt(12), 1 + random.nextInt(28)); // dates
            case 3 -> random.nextInt(20) == 0 ? "" : Integer.toString(random.nextInt(5)); // integers with gaps
            case 4 -> r == RecentScans.TRIAL + 7 ? "n/a" : Integer.toString(random.nextInt(30)); // text comes late
            case 5 -> random.nextBoolean() ? "True" : "False";
            case 6 -> random.nextInt(3) == 0 ? "NA" : "1.0"; // floats written as integers, with missing values
            case 7 -> Long.toString(random.nextLong()); // identifiers: distinct, the column stops looking
            case 8 -> random.nextInt(100) == 0 ? "01/02/2024" : "2024-01-02"; // mixed date families
            case 9 -> List.of("1e5", "-0.0", "0.1", "1E-3").get(random.nextInt(4)); // exponents and signed zeros
            case 10 -> random.nextInt(4) == 0 ? "9223372036854775808" : "9223372036854775807"; // past a long
            default -> List.of("North", "South", "East", "West").get(random.nextInt(4)); // categories
        };
    }
}
