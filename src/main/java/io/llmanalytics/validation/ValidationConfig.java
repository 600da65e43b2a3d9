package io.llmanalytics.validation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How generated code is checked before it runs: a pool of GraalPy contexts running the policy in Python. */
@ConfigMapping(prefix = "validation")
public interface ValidationConfig {

    /** GraalPy contexts (each with its own thread) checking code in parallel; each costs about 100 MB. */
    @WithDefault("2")
    int poolSize();

    /** Longest code accepted, in characters ({@code MAX_CODE_LENGTH}). */
    @WithDefault("10000")
    int maxCodeLength();

    /** Longest time a request waits for a free context, start-up warm-up included, before a 503. */
    @WithDefault("30s")
    Duration acquireTimeout();

    /** Longest time one check may run before it is interrupted and the code refused as too complex. */
    @WithDefault("2s")
    Duration checkTimeout();

    /** Requests waiting for a context beyond which new ones are refused at once with a 503. */
    @WithDefault("256")
    int queueCapacity();

    /** Create and warm the contexts at start-up, in the background; {@code false} defers it to the first check. */
    @WithDefault("true")
    boolean warmAtStartup();
}
