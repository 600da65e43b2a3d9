package io.llmanalytics.analysis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** Stage durations, attempts per answer and outcomes of analyses. */
@ApplicationScoped
public class AnalysisMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary attempts;

    public AnalysisMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.attempts = DistributionSummary.builder("analysis.attempts")
                .description("Attempts per analysis")
                .register(registry);
    }

    /**
     * Times a stage ({@code generation}, {@code validation}, {@code execution}, {@code interpretation}), recording it
     * as a metric and giving the elapsed nanoseconds to {@code elapsed}.
     */
    <T> Uni<T> timed(String stage, Uni<T> uni, LongConsumer elapsed) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return uni.onTermination().invoke((item, failure, cancelled) -> {
                long nanos = System.nanoTime() - start;
                elapsed.accept(nanos);
                Timer.builder("analysis.stage.duration")
                        .tag("stage", stage)
                        .tag("outcome", cancelled ? "cancelled" : failure == null ? "ok" : "failed")
                        .register(registry)
                        .record(nanos, TimeUnit.NANOSECONDS);
            });
        });
    }

    void finished(String outcome, int attemptCount) {
        attempts.record(attemptCount);
        Counter.builder("analysis.outcomes")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
