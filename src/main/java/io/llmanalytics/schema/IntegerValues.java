package io.llmanalytics.schema;

import java.util.Arrays;

/**
 * What one pass saw of a column while every cell of it was an integer: its first {@value #KEPT} distinct values in the
 * order they came, and whether the values only ever increased. Kept without boxing: a sorted copy answers membership
 * by binary search, and once {@value #KEPT} values are kept only the order is followed. Not thread-safe.
 */
public final class IntegerValues {

    /** Distinct values kept, in the order they came. */
    public static final int KEPT = 64;

    private final long[] inOrder = new long[KEPT];
    private final long[] sorted = new long[KEPT];
    private int kept;
    /** The kept values from 0 to 63, one bit each: most code columns are answered without a search. */
    private long small;

    private long count;
    private long last;
    private boolean increasing = true;

    /**
     * What a pass over a whole column would have gathered, computed another way (by a query): its first distinct
     * values in the order they came (at most {@value #KEPT} are kept), how many cells it had, whether every value was
     * greater than the one before it, and the last value.
     */
    public static IntegerValues of(long[] firstDistinct, long count, boolean increasing, long last) {
        IntegerValues v = new IntegerValues();
        for (int i = 0; i < Math.min(firstDistinct.length, KEPT); i++) {
            v.keep(firstDistinct[i]);
        }
        v.count = count;
        v.increasing = increasing;
        v.last = last;
        return v;
    }

    /** Keeps {@code v} unless it is kept already; while fewer than {@link #KEPT} are. */
    private void keep(long v) {
        if (v >= 0 && v < 64) {
            small |= 1L << v;
        }
        int at = Arrays.binarySearch(sorted, 0, kept, v);
        if (at < 0) {
            int insert = -at - 1;
            System.arraycopy(sorted, insert, sorted, insert + 1, kept - insert);
            sorted[insert] = v;
            inOrder[kept++] = v;
        }
    }

    /** The column's next value. */
    public void add(long v) {
        if (count > 0 && v <= last) {
            increasing = false;
        }
        count++;
        last = v;
        if (v >= 0 && v < 64 && (small & (1L << v)) != 0) {
            return;
        }
        if (kept < KEPT) {
            keep(v);
        }
    }

    /** The cells seen (every one an integer). */
    public long count() {
        return count;
    }

    /** Whether every value was greater than the one before it. */
    public boolean increasing() {
        return increasing;
    }

    /** The last value seen (meaningful when {@link #count()} is positive). */
    public long last() {
        return last;
    }

    /** The first {@code n} distinct values in the order they came (fewer when fewer were seen; at most {@link #KEPT}). */
    public long[] first(int n) {
        return Arrays.copyOf(inOrder, Math.min(n, kept));
    }

    /** Whether every distinct value seen is kept (fewer than {@link #KEPT} of them were seen). */
    public boolean allKept() {
        return kept < KEPT;
    }
}
