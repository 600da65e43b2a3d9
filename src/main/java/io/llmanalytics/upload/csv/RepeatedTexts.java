package io.llmanalytics.upload.csv;

import io.llmanalytics.schema.LookupTrial;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The texts of one column's ASCII fields, made once per value while the column repeats its values: a field equal to
 * one of the column's recent fields gets that field's {@code String} again, not a new one. Columns of categories,
 * regions or statuses repeat a few values millions of times; one shared {@code String} per value saves building it
 * again, and lets the profile's distinct counts find it by its cached hash and by identity (issue 20: hashing and
 * comparing new strings was a seventh of the profiling thread's samples). pandas' parser shares one string per value
 * in the same way for object columns.
 *
 * <p>Only fields of at most {@value #MAX_BYTES} bytes are looked up: such a field is read as two {@code long}s (its
 * bytes, zeros past its end) and its length, and a recent value with the same two {@code long}s and length has the
 * same bytes, so a field's text is always its own bytes. The column's recent values sit in a small table (one slot per
 * hash; a newer value takes an older one's slot). A column whose first {@value #TRIAL} fields found fewer than half of
 * their values there (numbers, identifiers, free text) stops looking, and its fields are built as before.
 */
final class RepeatedTexts {

    /**
     * Slots of the table: a power of two. 1,024 keep a column of two or three years of dates shared (256 kept too few of
     * its values to stay on), which lets the profile find its scans again ({@code RecentScans}, issue 20).
     */
    static final int SLOTS = 1024;

    /** The shift that leaves a mixed hash's top bits, as many as index {@link #SLOTS}. */
    private static final int SLOT_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(SLOTS);

    /** Fields looked up before the column decides whether looking up pays. */
    static final int TRIAL = LookupTrial.LOOKUPS;

    /** The longest field looked up: two {@code long}s. */
    static final int MAX_BYTES = 16;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Per slot: the value's first and second 8 bytes, and its length (-1: empty slot). */
    private final long[] lows = new long[SLOTS];

    private final long[] highs = new long[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final String[] texts = new String[SLOTS];
    private final LookupTrial trial = new LookupTrial();
    private boolean off;

    RepeatedTexts() {
        Arrays.fill(lengths, -1);
    }

    /** The text of the ASCII bytes {@code buffer[from, from + length)}. */
    String text(byte[] buffer, int from, int length) {
        if (off || length > MAX_BYTES) {
            return new String(buffer, from, length, StandardCharsets.ISO_8859_1);
        }
        long low = word(buffer, from, Math.min(length, 8));
        long high = length > 8 ? word(buffer, from + 8, length - 8) : 0L;
        long mixed = (low * 0x9E3779B97F4A7C15L) ^ (high * 0xC2B2AE3D27D4EB4FL) ^ length;
        int slot = (int) (mixed >>> SLOT_SHIFT);
        if (lengths[slot] == length && lows[slot] == low && highs[slot] == high) {
            String known = texts[slot];
            count(true);
            return known;
        }
        String text = new String(buffer, from, length, StandardCharsets.ISO_8859_1);
        lows[slot] = low;
        highs[slot] = high;
        lengths[slot] = length;
        texts[slot] = text;
        count(false);
        return text;
    }

    /** The {@code n} (0 to 8) bytes at {@code from} as a little-endian {@code long}, zeros above them. */
    static long word(byte[] buffer, int from, int n) {
        if (n == 0) {
            return 0L;
        }
        if (from + 8 <= buffer.length) {
            long all = (long) LONGS.get(buffer, from);
            return n == 8 ? all : all & ((1L << (8 * n)) - 1);
        }
        long w = 0L;
        for (int i = n - 1; i >= 0; i--) {
            w = (w << 8) | (buffer[from + i] & 0xffL);
        }
        return w;
    }

    private void count(boolean hit) {
        if (trial.fails(hit)) {
            off = true;
            Arrays.fill(texts, null);
        }
    }

    /** Whether the column still looks its fields up. */
    boolean looking() {
        return !off;
    }
}
