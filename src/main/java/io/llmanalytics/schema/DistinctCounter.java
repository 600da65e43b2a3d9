package io.llmanalytics.schema;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts distinct values exactly, with counts, up to a bound; past it, estimates the distinct count with
 * HyperLogLog and keeps exact counts only for the values that were most frequent when the bound was reached.
 */
final class DistinctCounter {

    private final int bound;
    private final int topSize;
    private Map<String, long[]> counts = new HashMap<>();
    private HyperLogLog estimator;

    DistinctCounter(int bound, int topSize) {
        this.bound = bound;
        this.topSize = topSize;
    }

    void add(String value) {
        if (estimator != null) {
            estimator.add(value);
            long[] count = counts.get(value);
            if (count != null) {
                count[0]++;
            }
            return;
        }
        long[] count = counts.get(value);
        if (count == null) {
            if (counts.size() >= bound) {
                overflow();
                add(value);
                return;
            }
            counts.put(value, new long[] {1});
        } else {
            count[0]++;
        }
    }

    private void overflow() {
        estimator = new HyperLogLog();
        counts.keySet().forEach(estimator::add);
        Map<String, long[]> kept = new HashMap<>();
        counts.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0]))
                .limit(Math.max(topSize * 20L, 100))
                .forEach(e -> kept.put(e.getKey(), e.getValue()));
        counts = kept;
    }

    boolean estimated() {
        return estimator != null;
    }

    long distinct() {
        return estimator == null ? counts.size() : Math.max(estimator.estimate(), counts.size());
    }

    /** The most frequent values, most frequent first, ties broken by first appearance order of the text. */
    List<ValueCount> top() {
        return counts.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey))
                .limit(topSize)
                .map(e -> new ValueCount(e.getKey(), e.getValue()[0]))
                .toList();
    }
}
