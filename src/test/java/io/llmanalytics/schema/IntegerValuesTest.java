package io.llmanalytics.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link IntegerValues} keeps what a set filled in arrival order keeps, and follows the order as a plain loop does. */
class IntegerValuesTest {

    @Test
    void sameAsASetInArrivalOrder() {
        Random random = new Random(20);
        long[][] ranges = {{0, 10}, {-5, 70}, {0, 200}, {60, 70}, {Long.MIN_VALUE / 2, Long.MAX_VALUE / 2}};
        for (long[] range : ranges) {
            for (int n : new int[] {1, 5, 50, 2000}) {
                for (boolean sorted : new boolean[] {false, true}) {
                    long[] values = new long[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = range[0] + Math.floorMod(random.nextLong(), range[1] - range[0]);
                    }
                    if (sorted) {
                        Arrays.sort(values);
                    }
                    check(values);
                }
            }
        }
        check(new long[] {1, 2, 3, 4});
        check(new long[] {1, 1, 2});
        check(new long[] {63, 64, 0, -1, 63});
    }

    private static void check(long[] values) {
        IntegerValues v = new IntegerValues();
        Set<Long> reference = new LinkedHashSet<>();
        boolean increasing = true;
        for (int i = 0; i < values.length; i++) {
            v.add(values[i]);
            if (reference.size() < IntegerValues.KEPT) {
                reference.add(values[i]);
            }
            increasing &= i == 0 || values[i] > values[i - 1];
        }
        long[] expected = reference.stream().mapToLong(Long::longValue).toArray();
        assertArrayEquals(expected, v.first(IntegerValues.KEPT));
        assertEquals(increasing, v.increasing());
        assertEquals(values.length, v.count());
        assertEquals(values[values.length - 1], v.last());
        assertEquals(expected.length < IntegerValues.KEPT, v.allKept());
    }
}
