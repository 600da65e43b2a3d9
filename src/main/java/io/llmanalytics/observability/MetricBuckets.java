package io.llmanalytics.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Histogram buckets ({@code _bucket{le=...}} in Prometheus) for the timers and distributions alerts are written on,
 * so that latency percentiles can be computed across pods ({@code histogram_quantile}). A few fixed buckets per meter,
 * not Micrometer's full percentile histogram, to keep the series count small.
 */
@Singleton
public class MetricBuckets {

    static final Map<String, double[]> SECONDS = Map.of(
            "http.server.requests", new double[] {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
            "analysis.stage.duration", new double[] {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
            "llm.call.duration", new double[] {0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
            "sandbox.execution.duration", new double[] {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
            "upload.duration", new double[] {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});

    static final Map<String, double[]> VALUES = Map.of(
            "analysis.attempts", new double[] {1, 2, 3, 4, 5},
            "upload.size", new double[] {1e4, 1e5, 1e6, 1e7, 5e7, 1e8});

    @Produces
    @Singleton
    MeterFilter buckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                double[] seconds = SECONDS.get(id.getName());
                double[] values = seconds != null ? toNanos(seconds) : VALUES.get(id.getName());
                if (values == null) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(values)
                        .build()
                        .merge(config);
            }
        };
    }

    private static double[] toNanos(double[] seconds) {
        return Arrays.stream(seconds)
                .map(s -> (double) Duration.ofMillis(Math.round(s * 1000)).toNanos())
                .toArray();
    }
}
