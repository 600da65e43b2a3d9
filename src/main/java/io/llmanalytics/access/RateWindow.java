package io.llmanalytics.access;

import java.util.ArrayDeque;

/**
 * A sliding one-minute window of events: at most {@code limit} in any 60 s. Keeps the times of the events still in
 * the window (at most {@code limit} of them), so the wait until the next one is allowed is exact.
 */
final class RateWindow {

    static final long WINDOW_NANOS = 60_000_000_000L;

    private final ArrayDeque<Long> times = new ArrayDeque<>();

    /**
     * Records an event at {@code now} when fewer than {@code limit} happened in the last minute and returns 0;
     * otherwise records nothing and returns the nanoseconds until one is allowed.
     */
    synchronized long tryAcquire(int limit, long now) {
        expire(now);
        if (times.size() < limit) {
            times.addLast(now);
            return 0;
        }
        return Math.max(1, times.peekFirst() + WINDOW_NANOS - now);
    }

    synchronized boolean isEmpty(long now) {
        expire(now);
        return times.isEmpty();
    }

    private void expire(long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_NANOS) {
            times.removeFirst();
        }
    }
}
