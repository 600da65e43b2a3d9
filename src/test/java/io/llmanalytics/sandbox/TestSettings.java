package io.llmanalytics.sandbox;

import java.time.Duration;

/** Settings for tests: the defaults, with a few values changed. */
final class TestSettings {

    boolean enabled = true;
    String python = "/usr/bin/python3";
    Duration timeout = Duration.ofSeconds(5);
    Duration cpuTime;
    int maxOutput = 10_000;
    int maxSampleRows = 10;
    int maxCodeSize = 100_000;
    long memoryBudget = 2L << 30;
    int concurrency = 2;
    int queueSize = 32;
    Duration queueTimeout = Duration.ofSeconds(30);
    Duration startTimeout = Duration.ofSeconds(60);
    Duration grace = Duration.ofSeconds(2);
    boolean standby = false;
    Duration idleTimeout = Duration.ofMinutes(10);
    boolean allowUnconfined = false;
    boolean landlockOff = false;

    SandboxSettings build() {
        return new SandboxSettings(
                enabled,
                python,
                timeout,
                cpuTime,
                maxOutput,
                maxSampleRows,
                100,
                5,
                1 << 20,
                maxCodeSize,
                memoryBudget,
                1L << 30,
                64,
                concurrency,
                queueSize,
                queueTimeout,
                Duration.ofSeconds(2),
                Duration.ofSeconds(120),
                startTimeout,
                grace,
                standby,
                idleTimeout,
                allowUnconfined,
                landlockOff);
    }
}
