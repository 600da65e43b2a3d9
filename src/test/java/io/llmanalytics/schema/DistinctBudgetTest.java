package io.llmanalytics.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The distinct values a table's columns count exactly stay within the table's memory budget, however many columns
 * it has: the columns of many values start estimating, largest first, and the columns of few values stay exact.
 */
class DistinctBudgetTest {

    static final ProfileOptions OPTIONS = new ProfileOptions(0, 10_000, 5, 100_000_000L);
    static final int ROWS = 4000;

    /** 40 columns of distinct values and one of 3 values, under a budget that holds about 30,000 values. */
    static DatasetSchema profile(DistinctBudget budget) {
        List<String> header = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            header.add("id" + c);
        }
        header.add("region");
        SchemaBuilder builder = new SchemaBuilder(header, OPTIONS, CellConventions.TEXT, budget);
        String[] regions = {"North", "South", "East"};
        for (int r = 0; r < ROWS; r++) {
            String[] row = new String[41];
            for (int c = 0; c < 40; c++) {
                row[c] = "v" + c + "-" + r;
            }
            row[40] = regions[r % 3];
            builder.add(row);
            assertTrue(budget.left() >= 0, "the budget is never overdrawn");
        }
        return builder.build("wide");
    }

    @Test
    void wideTablesEstimateTheirLargestColumnsWithinTheBudget() {
        long bytes = 30_000L * (DistinctBudget.ENTRY_BYTES + 8);
        DistinctBudget budget = new DistinctBudget(bytes);

        DatasetSchema schema = profile(budget);

        long estimated = schema.columns().stream()
                .filter(c -> Boolean.TRUE.equals(c.profile().distinctEstimated()))
                .count();
        assertTrue(estimated >= 40 - 30_000 / ROWS, estimated + " columns estimated");
        for (ColumnSchema column : schema.columns().subList(0, 40)) {
            long distinct = column.profile().distinct();
            assertTrue(Math.abs(distinct - ROWS) <= ROWS * 0.05, column.name() + ": " + distinct);
        }
        ColumnProfile region = schema.columns().get(40).profile();
        assertNull(region.distinctEstimated(), "a column of few values stays exact");
        assertEquals(3, region.distinct());
        assertEquals(
                List.of(ROWS / 3 + 1L, ROWS / 3L, ROWS / 3L),
                region.topValues().stream().map(ValueCount::count).toList());
    }

    @Test
    void tablesWithinTheBudgetAreCountedExactly() {
        DatasetSchema schema = profile(new DistinctBudget(DistinctBudget.TABLE_BYTES));

        assertTrue(schema.columns().stream().allMatch(c -> c.profile().distinctEstimated() == null));
        assertTrue(schema.columns().subList(0, 40).stream()
                .allMatch(c -> c.profile().distinct() == ROWS));
    }

    @Test
    void aSpentBudgetWithNothingToGiveBackEstimatesTheColumnAsking() {
        DistinctBudget budget = new DistinctBudget(3 * DistinctBudget.cost("x1"));
        DistinctCounter counter = new DistinctCounter(10_000, 5, budget);
        for (int i = 0; i < 10; i++) {
            counter.add("x" + i);
        }

        assertTrue(counter.estimated());
        assertEquals(10, counter.distinct());
        assertEquals(3, counter.size());
        assertTrue(budget.left() >= 0);
    }
}
