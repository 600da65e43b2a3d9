package io.llmanalytics.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's settings, checked: every value is within its range, or start-up fails with a message naming the
 * setting. {@code landlockTestOff} simulates a kernel without Landlock (tests only: configuration cannot set it).
 */
public record SandboxSettings(
        boolean enabled,
        String python,
        Duration timeout,
        Duration cpuTime,
        int maxOutput,
        int maxSampleRows,
        int maxSeriesItems,
        int maxCharts,
        long maxChartBytes,
        int maxCodeSize,
        long memoryBudget,
        long addressSpaceHeadroom,
        int maxOpenFiles,
        int concurrency,
        int queueSize,
        Duration queueTimeout,
        Duration retryAfter,
        Duration loadTimeout,
        Duration startTimeout,
        Duration grace,
        boolean standby,
        Duration idleTimeout,
        boolean allowUnconfined,
        boolean landlockTestOff) {

    private static final long MIB = 1024L * 1024;

    public SandboxSettings {
        List<String> errors = new ArrayList<>();
        if (python == null || python.isBlank()) {
            errors.add("sandbox.python must name a Python interpreter");
        }
        positive(errors, "sandbox.timeout (MAX_EXECUTION_TIMEOUT)", timeout);
        if (timeout != null && timeout.compareTo(Duration.ofHours(1)) > 0) {
            errors.add("sandbox.timeout (MAX_EXECUTION_TIMEOUT) must be at most 1 hour, got " + timeout);
        }
        if (cpuTime != null && cpuTime.compareTo(Duration.ofSeconds(1)) < 0) {
            errors.add("sandbox.cpu-time must be at least 1 second, got " + cpuTime);
        }
        range(errors, "sandbox.max-output (MAX_OUTPUT_SIZE)", maxOutput, 100, 10_000_000);
        range(errors, "sandbox.max-sample-rows (MAX_SAMPLE_ROWS)", maxSampleRows, 0, 10_000);
        range(errors, "sandbox.max-series-items", maxSeriesItems, 1, 100_000);
        range(errors, "sandbox.max-charts", maxCharts, 0, 50);
        range(errors, "sandbox.max-chart-size", maxChartBytes, 1024, 16 * MIB);
        range(errors, "sandbox.max-code-size", maxCodeSize, 1, 10_000_000);
        range(errors, "sandbox.memory-budget", memoryBudget, 16 * MIB, Long.MAX_VALUE);
        range(errors, "sandbox.address-space-headroom", addressSpaceHeadroom, 64 * MIB, Long.MAX_VALUE);
        range(errors, "sandbox.max-open-files", maxOpenFiles, 16, 1024);
        range(errors, "sandbox.concurrency", concurrency, 1, 1024);
        range(errors, "sandbox.queue-size", queueSize, 0, 100_000);
        positive(errors, "sandbox.queue-timeout", queueTimeout);
        positive(errors, "sandbox.retry-after", retryAfter);
        positive(errors, "sandbox.load-timeout", loadTimeout);
        positive(errors, "sandbox.start-timeout", startTimeout);
        positive(errors, "sandbox.idle-timeout", idleTimeout);
        if (grace == null || grace.isNegative()) {
            errors.add("sandbox.grace must not be negative, got " + grace);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Invalid worker settings: " + String.join("; ", errors));
        }
        if (cpuTime == null) {
            cpuTime = Duration.ofSeconds((timeout.toMillis() + 999) / 1000 + 1);
        }
    }

    /** Reads and checks the configuration. */
    public static SandboxSettings from(SandboxConfig config) {
        return new SandboxSettings(
                config.enabled(),
                config.python(),
                config.timeout(),
                config.cpuTime().orElse(null),
                config.maxOutput(),
                config.maxSampleRows(),
                config.maxSeriesItems(),
                config.maxCharts(),
                config.maxChartSize().asLongValue(),
                config.maxCodeSize(),
                config.memoryBudget().asLongValue(),
                config.addressSpaceHeadroom().asLongValue(),
                config.maxOpenFiles(),
                config.concurrency().orElse(Runtime.getRuntime().availableProcessors()),
                config.queueSize(),
                config.queueTimeout(),
                config.retryAfter(),
                config.loadTimeout(),
                config.startTimeout(),
                config.grace(),
                config.standby(),
                config.idleTimeout(),
                config.allowUnconfined(),
                false);
    }

    /** CPU seconds for the child's RLIMIT_CPU. */
    public long cpuSeconds() {
        return Math.max(1, (cpuTime.toMillis() + 999) / 1000);
    }

    private static void positive(List<String> errors, String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            errors.add(name + " must be positive, got " + value);
        }
    }

    private static void range(List<String> errors, String name, long value, long min, long max) {
        if (value < min || value > max) {
            errors.add(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
