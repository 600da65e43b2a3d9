package io.llmanalytics.schema;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts distinct values exactly, with counts, up to a bound; past it, estimates the distinct count with
 * HyperLogLog and keeps exact counts only for the values that were most frequent when the bound was reached. The
 * values counted exactly also take their memory from a budget shared by every column of the table: a counter that
 * finds it spent estimates from then on, as past its bound.
 */
final class DistinctCounter {

    private final int bound;
    private final int topSize;
    private final DistinctBudget budget;
    private Map<String, long[]> counts = new HashMap<>();
    private HyperLogLog estimator;

    DistinctCounter(int bound, int topSize, DistinctBudget budget) {
        this.bound = bound;
        this.topSize = topSize;
        this.budget = budget;
        budget.register(this);
    }

    void add(String value) {
        if (estimator == null) {
            long[] count = counts.get(value);
            if (count != null) {
                count[0]++;
                return;
            }
            if (counts.size() < bound && budget.take(DistinctBudget.cost(value))) {
                if (estimator == null) {
                    counts.put(value, new long[] {1});
                    return;
                }
                budget.give(DistinctBudget.cost(value)); // the budget made room by making this counter estimate
            } else {
                overflow();
            }
        }
        estimator.add(value);
        long[] count = counts.get(value);
        if (count != null) {
            count[0]++;
        }
    }

    /** The values still counted exactly once estimating. */
    int keeps() {
        return Math.max(topSize * 20, 100);
    }

    /** The values counted exactly. */
    int size() {
        return counts.size();
    }

    /**
     * Starts estimating: the distinct count from then on by HyperLogLog, exact counts kept only for the values most
     * frequent so far, the memory of the others given back to the budget.
     */
    void overflow() {
        if (estimator != null) {
            return;
        }
        estimator = new HyperLogLog();
        counts.keySet().forEach(estimator::add);
        Map<String, long[]> kept = new HashMap<>();
        counts.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0]))
                .limit(keeps())
                .forEach(e -> kept.put(e.getKey(), e.getValue()));
        counts.keySet().stream()
                .filter(value -> !kept.containsKey(value))
                .forEach(value -> budget.give(DistinctBudget.cost(value)));
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
