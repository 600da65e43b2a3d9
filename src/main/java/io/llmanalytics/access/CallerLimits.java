package io.llmanalytics.access;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemResponses;
import io.llmanalytics.problem.ProblemType;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The counters of each caller: uploads and analyses in the last minute, analyses running now. In memory, per instance;
 * callers idle for a minute with nothing running are forgotten, and at most {@code maxCallers} are kept. This is the
 * pre-check in front of {@link SharedLimits}: it counts only this instance's requests, a part of the total, so it can
 * refuse early (without a store round trip) but never lets through more than the store's count allows.
 */
final class CallerLimits {

    /** What a full stream limit tells the caller to wait: streams usually end within seconds. */
    static final Duration STREAM_RETRY = Duration.ofSeconds(5);
    /**
     * A slot not given back after this long (far longer than any analysis may run) is taken back, so that a release
     * that never came cannot lock a caller out.
     */
    static final long STREAM_MAX_AGE_NANOS = Duration.ofMinutes(15).toNanos();

    private final Map<String, State> callers = new ConcurrentHashMap<>();
    private final AccessConfig.Limits limits;
    private final LongSupplier clock;

    CallerLimits(AccessConfig.Limits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** One caller's counters. */
    private static final class State {
        final RateWindow uploads = new RateWindow();
        final RateWindow analyses = new RateWindow();
        /** When each slot in use was taken. */
        final Set<long[]> streams = ConcurrentHashMap.newKeySet();

        volatile long lastSeen;

        int streams(long now) {
            streams.removeIf(slot -> now - slot[0] >= STREAM_MAX_AGE_NANOS);
            return streams.size();
        }
    }

    /** Counts an upload, or throws 429 when the caller already started its uploads of the minute. */
    void admitUpload(Caller caller) {
        int limit = limits.uploadsPerMinute();
        admit(caller, limit, state -> state.uploads, uploadsAllowed(limit));
    }

    static String uploadsAllowed(int limit) {
        return "start at most " + limit + " uploads per minute (RATE_LIMIT_UPLOADS_PER_MINUTE=" + limit + ")";
    }

    static String analysesAllowed(int limit) {
        return "ask for at most " + limit + " analyses per minute (RATE_LIMIT_ANALYSES_PER_MINUTE=" + limit + ")";
    }

    /** Counts an analysis, or throws 429 when the caller already asked its analyses of the minute. */
    void admitAnalysis(Caller caller) {
        int limit = limits.analysesPerMinute();
        admit(caller, limit, state -> state.analyses, analysesAllowed(limit));
    }

    /** Counts one more event in the caller's {@code window} (unless the limit is off), or throws 429 naming it. */
    private void admit(Caller caller, int limit, Function<State, RateWindow> window, String allowed) {
        if (limit <= 0) {
            return;
        }
        long wait = window.apply(state(caller)).tryAcquire(limit, clock.getAsLong());
        if (wait > 0) {
            throw tooMany("This caller may " + allowed, Duration.ofNanos(wait));
        }
    }

    /**
     * Takes one of the caller's concurrent analysis slots, or throws 429 when all are taken. Returns the release,
     * which may be called more than once.
     */
    Runnable openStream(Caller caller) {
        int limit = limits.concurrentStreams();
        if (limit <= 0) {
            return () -> {};
        }
        State state = state(caller);
        long[] slot = {clock.getAsLong()};
        synchronized (state) {
            if (state.streams(slot[0]) >= limit) {
                throw tooMany(
                        "This caller may have at most " + limit + " analyses running at once "
                                + "(RATE_LIMIT_CONCURRENT_STREAMS=" + limit + "); wait for one to finish",
                        STREAM_RETRY);
            }
            state.streams.add(slot);
        }
        return () -> {
            if (state.streams.remove(slot)) {
                state.lastSeen = clock.getAsLong();
            }
        };
    }

    /** Analyses the caller has running (for tests and health). */
    int streams(Caller caller) {
        State state = callers.get(caller.limitKey());
        return state == null ? 0 : state.streams(clock.getAsLong());
    }

    int tracked() {
        return callers.size();
    }

    /** Forgets callers idle for a minute with nothing running. */
    void sweep() {
        long now = clock.getAsLong();
        callers.entrySet().removeIf(e -> idle(e.getValue(), now));
    }

    private State state(Caller caller) {
        long now = clock.getAsLong();
        State state = callers.get(caller.limitKey());
        if (state == null) {
            if (callers.size() >= limits.maxCallers()) {
                makeRoom(now);
            }
            state = callers.computeIfAbsent(caller.limitKey(), k -> new State());
        }
        state.lastSeen = now;
        return state;
    }

    /** Forgets idle callers, then the least recently seen without running analyses until there is room. */
    private void makeRoom(long now) {
        sweep();
        int excess = callers.size() - limits.maxCallers() + 1;
        if (excess > 0) {
            callers.entrySet().stream()
                    .filter(e -> e.getValue().streams(now) == 0)
                    .sorted(Comparator.comparingLong(e -> e.getValue().lastSeen))
                    .limit(excess)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(callers::remove);
        }
    }

    private static boolean idle(State state, long now) {
        return state.streams(now) == 0
                && now - state.lastSeen >= RateWindow.WINDOW_NANOS
                && state.uploads.isEmpty(now)
                && state.analyses.isEmpty(now);
    }

    static ProblemException tooMany(String limit, Duration wait) {
        return ProblemException.retryLater(
                ProblemType.TOO_MANY_REQUESTS,
                limit + ". Try again in " + ProblemResponses.retryAfterSeconds(wait) + " s.",
                wait);
    }
}
