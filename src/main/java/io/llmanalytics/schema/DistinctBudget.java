package io.llmanalytics.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory a table's distinct-value counts may take, shared by its columns. Each column counts up to
 * {@link ProfileOptions#distinctBound()} values exactly, and a table may have thousands of columns: a 99 MB CSV of
 * 1,250 columns and 10,000 rows of distinct values held 12.5 million counted values, and its upload ran the service's
 * 1 GiB heap out of memory and stopped it (issue 20). When the budget is spent, the column counting the most values
 * exactly starts estimating its distinct count (its profile says so), as a column past its bound does, and gives back
 * the memory of all but its most frequent values; so the columns of few values stay exact.
 */
final class DistinctBudget {

    /**
     * A table's budget: 32 MiB, about 250,000 short values, enough for 25 text columns of 10,000 distinct values each
     * to be counted exactly.
     */
    static final long TABLE_BYTES = 32L << 20;

    /** What one counted value costs besides its characters: its String, map entry and count. */
    static final int ENTRY_BYTES = 112;

    private final List<DistinctCounter> counters = new ArrayList<>();
    private long left;

    DistinctBudget(long bytes) {
        this.left = bytes;
    }

    void register(DistinctCounter counter) {
        counters.add(counter);
    }

    /** The memory counting {@code value} exactly takes (its characters counted as one byte each, as most are). */
    static long cost(String value) {
        return ENTRY_BYTES + value.length();
    }

    /**
     * Takes {@code bytes} from the budget, making the column that counts the most values exactly estimate instead
     * while that much is not left; false, taking nothing, when no column counts enough values to give room.
     */
    boolean take(long bytes) {
        while (bytes > left) {
            DistinctCounter largest = null;
            for (DistinctCounter counter : counters) {
                if (!counter.estimated() && (largest == null || counter.size() > largest.size())) {
                    largest = counter;
                }
            }
            if (largest == null || largest.size() <= largest.keeps()) {
                return false;
            }
            largest.overflow();
        }
        left -= bytes;
        return true;
    }

    void give(long bytes) {
        left += bytes;
    }

    long left() {
        return left;
    }
}
