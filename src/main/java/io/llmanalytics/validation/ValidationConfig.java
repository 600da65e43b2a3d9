package io.llmanalytics.validation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How generated code is checked before it runs: an elastic pool of GraalPy contexts running the policy in Python, one
 * (or {@link #initialContexts()}) at start, more under load up to {@link #poolSize()}.
 */
@ConfigMapping(prefix = "validation")
public interface ValidationConfig {

    /**
     * Most GraalPy contexts (each with its own thread) checking code in parallel; each beyond the first costs about
     * 100 MB while it exists. The pool grows to it only while checks wait for a busy context.
     */
    @WithDefault("2")
    int poolSize();

    /** Contexts created at start and kept however idle (at least one, at most {@link #poolSize()}). */
    @WithDefault("1")
    int initialContexts();

    /**
     * Time after which a context created under load that has checked nothing is closed again (down to
     * {@link #initialContexts()}), giving its memory back; zero keeps every context once created.
     */
    @WithDefault("5m")
    Duration idleTimeout();

    /** Longest code accepted, in characters ({@code MAX_CODE_LENGTH}). */
    @WithDefault("10000")
    int maxCodeLength();

    /** Longest time a request waits for a free context once one is warm, before a 503. */
    @WithDefault("30s")
    Duration acquireTimeout();

    /** Longest time one check may run before it is interrupted and the code refused as too complex. */
    @WithDefault("2s")
    Duration checkTimeout();

    /** Requests waiting for a context beyond which new ones are refused at once with a 503. */
    @WithDefault("256")
    int queueCapacity();

    /**
     * Longest time a request that arrives before any context is warm waits for the first one (start-up), on top of
     * which it may wait the acquire timeout for a free context. The service is ready for uploads and questions before
     * the validator is warm: such a question waits, it is not refused.
     */
    @WithDefault("60s")
    Duration warmUpTimeout();

    /** Create and warm the contexts at start-up, in the background; {@code false} defers it to the first check. */
    @WithDefault("true")
    boolean warmAtStartup();

    /**
     * Longest time the start-up warm-up waits for the analysis worker to be ready before it begins anyway: both
     * compete for the cores (the worker imports pandas, matplotlib and Plotly; GraalPy's warm-up keeps the JIT busy), and
     * the service is ready once the worker is. Zero starts the warm-up at once. A check that arrives in the meantime
     * starts the warm-up itself and waits for the first context.
     */
    @WithDefault("30s")
    Duration warmUpAfterWorker();

    /**
     * Time the pool waits before creating its first context. Zero in production; tests and benches set it to ask
     * questions while the validator is provably not yet warm.
     */
    @WithDefault("0s")
    Duration startDelay();
}
