package io.llmanalytics.upload;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * How long each phase of one upload's ingest took ({@link IngestPhase}); a phase run several times (one per dataset)
 * adds up. Thread-safe: phases end on different threads.
 */
public final class IngestTimings {

    private final Map<IngestPhase, Long> nanos = Collections.synchronizedMap(new EnumMap<>(IngestPhase.class));

    /** Adds {@code duration} nanoseconds to {@code phase}. */
    public void record(IngestPhase phase, long duration) {
        nanos.merge(phase, Math.max(0, duration), Long::sum);
    }

    /** {@code work} run and its time added to {@code phase}, whether it succeeds or fails. */
    public <T> T timed(IngestPhase phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            record(phase, System.nanoTime() - start);
        }
    }

    /** {@code uni}, its time from subscription to termination (item, failure or cancellation) added to {@code phase}. */
    public <T> Uni<T> timed(IngestPhase phase, Uni<T> uni) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return uni.onTermination().invoke(() -> record(phase, System.nanoTime() - start));
        });
    }

    /** The phases measured so far, in the order of {@link IngestPhase}. */
    public Map<IngestPhase, Duration> phases() {
        synchronized (nanos) {
            Map<IngestPhase, Duration> copy = new EnumMap<>(IngestPhase.class);
            nanos.forEach((phase, n) -> copy.put(phase, Duration.ofNanos(n)));
            return copy;
        }
    }

    /** The phases as a {@code Server-Timing} header value: {@code receive;dur=12.3, parse;dur=456.7, ...} (ms). */
    public String serverTiming() {
        StringJoiner header = new StringJoiner(", ");
        phases().forEach((phase, d) ->
                header.add(phase.metric() + ";dur=" + String.format(Locale.ROOT, "%.1f", d.toNanos() / 1_000_000.0)));
        return header.toString();
    }
}
