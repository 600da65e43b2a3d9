package io.llmanalytics.analysis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/** Analyses: the question-to-answer pipeline, its stream and its memory. */
@ConfigMapping(prefix = "analysis")
public interface AnalysisConfig {

    /** Interactions kept in a session's history ({@code MAX_CONVERSATION_HISTORY}). */
    @WithDefault("10")
    @Min(1) @Max(1000) int maxHistory();

    /** Longest question accepted, in characters after trimming. */
    @WithDefault("1000")
    @Positive int maxQuestionLength();

    /** Interval of the comment heartbeat on event streams. */
    @WithDefault("15s")
    Duration heartbeat();

    /** Upper bound on one whole analysis (all attempts and the interpretation). */
    @WithDefault("5m")
    Duration timeout();

    /**
     * How long streams in progress may run on once shutdown starts, before they end with a {@code shutting-down}
     * error event; keep it below {@code quarkus.shutdown.timeout}.
     */
    @WithDefault("20s")
    Duration drainTimeout();

    /** Results kept by the result cache (same code on the same dataset content). */
    @WithDefault("256")
    @Min(0) int resultCacheEntries();

    /** Approximate bytes the result cache may hold. */
    @WithDefault("67108864")
    @Min(0) long resultCacheBytes();

    /** Longest result kept in history, in characters of JSON; longer ones keep only their summary. */
    @WithDefault("20000")
    @Positive int maxStoredResultChars();

    /**
     * Whether the {@code done} document's {@code timings} also break the pipeline's own time down by stage
     * ({@code ANALYSIS_TIMINGS_BREAKDOWN}; for benchmarks, off by default): {@code prepare} (reading the newest
     * interactions), {@code prompt}, {@code lookup} (verified answers), {@code history} (charts and the interaction
     * stored) and {@code run} (subscription to {@code done}); milliseconds.
     */
    @WithDefault("false")
    boolean timingsBreakdown();
}
