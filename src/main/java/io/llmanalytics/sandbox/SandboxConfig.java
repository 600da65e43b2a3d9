package io.llmanalytics.sandbox;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** The CPython worker that runs generated analysis code: its process, limits, output bounds and capacity. */
@ConfigMapping(prefix = "sandbox")
public interface SandboxConfig {

    /** Whether the worker starts with the service; without it every execution fails as unavailable. */
    @WithDefault("true")
    boolean enabled();

    /** The Python 3.11 interpreter with pandas, numpy, matplotlib, scipy and python3-seccomp (Debian packages). */
    @WithDefault("/usr/bin/python3")
    String python();

    /** Wall-clock limit of one execution ({@code MAX_EXECUTION_TIMEOUT}; plain numbers are seconds). */
    @WithDefault("5s")
    Duration timeout();

    /** CPU time one execution may use; defaults to the timeout rounded up plus one second. */
    Optional<Duration> cpuTime();

    /** Longest text result or captured output, in characters ({@code MAX_OUTPUT_SIZE}). */
    @WithDefault("10000")
    int maxOutput();

    /** Rows of a DataFrame result returned ({@code MAX_SAMPLE_ROWS}). */
    @WithDefault("10")
    int maxSampleRows();

    /** Items of a Series, list, dict or array result returned. */
    @WithDefault("100")
    int maxSeriesItems();

    /** Charts (open matplotlib figures) returned per execution. */
    @WithDefault("5")
    int maxCharts();

    /** Largest PNG of one chart; larger charts are rendered smaller or dropped. */
    @WithDefault("1M")
    MemorySize maxChartSize();

    /** Longest code accepted, in characters. */
    @WithDefault("100000")
    int maxCodeSize();

    /** Memory of all cached session datasets together, measured as the loading processes' private memory. */
    @WithDefault("2G")
    MemorySize memoryBudget();

    /**
     * A session's datasets leave the worker's memory after this long without a question (they are loaded again from
     * the store on the next one), so that memory goes back down after a busy period.
     */
    @WithDefault("10m")
    Duration idleTimeout();

    /** Address space an execution may add to what its session's data already takes. */
    @WithDefault("1G")
    MemorySize addressSpaceHeadroom();

    /** Files an execution may hold open at once. */
    @WithDefault("64")
    int maxOpenFiles();

    /** Executions running at once; defaults to the number of processors. */
    OptionalInt concurrency();

    /**
     * Executions waiting for a free slot; beyond it callers are told to retry later. A waiting execution costs next to
     * nothing (its stream is open anyway), and {@code queue-timeout} bounds the wait: 200 streams at once all finish.
     */
    @WithDefault("256")
    int queueSize();

    /** Longest wait for a free slot before giving up as busy. */
    @WithDefault("30s")
    Duration queueTimeout();

    /** The Retry-After given with a busy answer. */
    @WithDefault("2s")
    Duration retryAfter();

    /** Longest load of a session's datasets into the worker. */
    @WithDefault("120s")
    Duration loadTimeout();

    /** Keep a second worker process started and idle, to take over at once when the first one dies. */
    @WithDefault("true")
    boolean standby();

    /** Longest start of the worker process (importing the libraries). */
    @WithDefault("60s")
    Duration startTimeout();

    /** Extra time the service waits for a result beyond the timeout before it treats the worker as stuck. */
    @WithDefault("2s")
    Duration grace();

    /**
     * UNSAFE, for development only ({@code SANDBOX_ALLOW_UNCONFINED}): run analysis code even when the worker's
     * start-up self-test cannot prove the kernel confinement (Landlock) on this host. Off, the service refuses to run
     * analysis code unconfined and says why in {@code /api/health} and in every analysis' problem.
     */
    @WithDefault("false")
    boolean allowUnconfined();
}
