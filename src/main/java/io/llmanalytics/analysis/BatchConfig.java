package io.llmanalytics.analysis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Batches: several questions about one session answered in parallel in one request. */
@ConfigMapping(prefix = "batch")
public interface BatchConfig {

    /** Most questions one batch may hold ({@code BATCH_MAX_QUESTIONS}). */
    @WithDefault("10")
    @Min(1) @Max(100) int maxQuestions();

    /**
     * Most questions of one batch answered at once ({@code BATCH_MAX_PARALLEL}); fewer when the caller's
     * concurrent-analysis limit has fewer slots free. The others wait inside the batch.
     */
    @WithDefault("4")
    @Min(1) @Max(32) int maxParallel();
}
