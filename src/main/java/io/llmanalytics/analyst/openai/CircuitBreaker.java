package io.llmanalytics.analyst.openai;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;

/**
 * A count-based circuit breaker over the last {@code window} calls: when at least {@code window} calls were recorded
 * and the failed ones reach {@code failureRatio}, it opens for {@code delay}; then one trial call is let through
 * (half-open), whose success closes it and whose failure opens it again. Thread-safe.
 */
public final class CircuitBreaker {

    /** The states, as reported in health. */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int window;
    private final double failureRatio;
    private final long delayNanos;
    private final long probeTimeoutNanos;
    private final InstantSource clock;

    private final boolean[] outcomes;
    private int recorded;
    private int next;
    private int failures;
    private State state = State.CLOSED;
    private long openedAt;
    private long probeStartedAt;
    private boolean probing;
    private long epoch;

    /**
     * @param probeTimeout how long a half-open trial call may take before another one is let through (a trial call that
     *        never reports, e.g. because it was cancelled, must not keep the breaker half-open forever)
     * @param clock the time the open delay and the probe timeout are measured on
     */
    public CircuitBreaker(int window, double failureRatio, Duration delay, Duration probeTimeout, InstantSource clock) {
        this.window = Math.max(1, window);
        this.failureRatio = failureRatio;
        this.delayNanos = delay.toNanos();
        this.probeTimeoutNanos = probeTimeout.toNanos();
        this.clock = clock;
        this.outcomes = new boolean[this.window];
    }

    /** Null when a call may go ahead, else how long until the breaker lets a trial call through. */
    public synchronized Duration acquire() {
        long now = now();
        if (state == State.OPEN) {
            long waited = now - openedAt;
            if (waited < delayNanos) {
                return Duration.ofNanos(delayNanos - waited);
            }
            state = State.HALF_OPEN;
            probing = false;
        }
        if (state == State.HALF_OPEN) {
            if (probing && now - probeStartedAt < probeTimeoutNanos) {
                return Duration.ofNanos(Math.max(1_000_000L, probeTimeoutNanos - (now - probeStartedAt)));
            }
            probing = true;
            probeStartedAt = now;
        }
        return null;
    }

    /** Calls started before the last {@link #reset} report under an older epoch, and are not counted. */
    public synchronized long epoch() {
        return epoch;
    }

    /** The endpoint answered properly. */
    public synchronized void onSuccess(long callEpoch) {
        if (callEpoch != epoch) {
            return;
        }
        if (state == State.HALF_OPEN) {
            close();
            return;
        }
        record(false);
    }

    /** The endpoint failed (5xx, 429, timeout, unreachable, malformed answer). */
    public synchronized void onFailure(long callEpoch) {
        if (callEpoch != epoch) {
            return;
        }
        if (state == State.HALF_OPEN) {
            open();
            return;
        }
        if (state == State.OPEN) {
            return;
        }
        record(true);
        if (recorded >= window && failures >= failureRatio * window) {
            open();
        }
    }

    /** A call ended without telling anything about the endpoint (cancelled); frees a half-open trial. */
    public synchronized void onIgnored(long callEpoch) {
        if (callEpoch != epoch) {
            return;
        }
        if (state == State.HALF_OPEN) {
            probing = false;
        }
    }

    public synchronized State state() {
        if (state == State.OPEN && now() - openedAt >= delayNanos) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /** Failures among the calls in the window, for messages. */
    public synchronized int failures() {
        return failures;
    }

    public synchronized int recorded() {
        return recorded;
    }

    public int window() {
        return window;
    }

    /** Back to closed with an empty window; calls still in flight no longer count. */
    public synchronized void reset() {
        epoch++;
        close();
    }

    /** The clock's time in nanoseconds, for differences only. */
    private long now() {
        return Duration.between(Instant.EPOCH, clock.instant()).toNanos();
    }

    private void record(boolean failed) {
        if (recorded == window) {
            if (outcomes[next]) {
                failures--;
            }
        } else {
            recorded++;
        }
        outcomes[next] = failed;
        if (failed) {
            failures++;
        }
        next = (next + 1) % window;
    }

    private void open() {
        state = State.OPEN;
        openedAt = now();
        probing = false;
    }

    private void close() {
        state = State.CLOSED;
        recorded = 0;
        next = 0;
        failures = 0;
        probing = false;
        Arrays.fill(outcomes, false);
    }
}
