package io.llmanalytics.sandbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** Counters, timings and gauges of the worker, under {@code sandbox.*}. */
final class SandboxMetrics {

    private final MeterRegistry registry;
    private final Counter timeouts;
    private final Counter kills;
    private final Counter hits;
    private final Counter misses;
    private final Counter evictions;
    private final Counter restarts;
    private final Timer loads;

    SandboxMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.timeouts = Counter.builder("sandbox.timeouts")
                .description("Executions stopped at the deadline")
                .register(registry);
        this.kills = Counter.builder("sandbox.kills")
                .description("Execution processes killed (deadline, CPU limit, cancellation)")
                .register(registry);
        this.hits = Counter.builder("sandbox.cache.hits")
                .description("Executions whose datasets were cached")
                .register(registry);
        this.misses = Counter.builder("sandbox.cache.misses")
                .description("Executions that had to load datasets")
                .register(registry);
        this.evictions = Counter.builder("sandbox.cache.evictions")
                .description("Sessions dropped from the cache")
                .register(registry);
        this.restarts = Counter.builder("sandbox.restarts")
                .description("Restarts of the worker supervisor")
                .register(registry);
        this.loads = Timer.builder("sandbox.load.duration")
                .description("Loading a session's datasets")
                .register(registry);
    }

    void gauges(
            Supplier<Number> queued,
            Supplier<Number> running,
            Supplier<Number> cachedSessions,
            Supplier<Number> cachedBytes) {
        Gauge.builder("sandbox.queue.length", () -> queued.get())
                .description("Executions waiting for a slot")
                .register(registry);
        Gauge.builder("sandbox.running", () -> running.get())
                .description("Executions running")
                .register(registry);
        Gauge.builder("sandbox.cache.sessions", () -> cachedSessions.get())
                .description("Sessions cached")
                .register(registry);
        Gauge.builder("sandbox.cache.bytes", () -> cachedBytes.get())
                .description("Memory of cached datasets")
                .baseUnit("bytes")
                .register(registry);
    }

    /** One execution that ended with {@code outcome} ({@code unavailable}, {@code busy}... for failures). */
    void execution(String outcome, Duration duration) {
        Counter.builder("sandbox.executions")
                .description("Executions of analysis code")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        if (duration != null) {
            Timer.builder("sandbox.execution.duration")
                    .description("Executions of analysis code, end to end")
                    .tag("outcome", outcome)
                    .register(registry)
                    .record(duration);
        }
    }

    void timeout() {
        timeouts.increment();
    }

    void kill() {
        kills.increment();
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    void eviction() {
        evictions.increment();
    }

    void restart() {
        restarts.increment();
    }

    void load(Duration duration) {
        loads.record(duration);
    }
}
