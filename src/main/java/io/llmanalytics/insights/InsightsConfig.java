package io.llmanalytics.insights;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Automatic insights computed in the worker right after upload (see {@link InsightsService}). */
@ConfigMapping(prefix = "insights")
public interface InsightsConfig {

    /** Whether insights are computed after upload; when false, GET .../insights still computes them on demand. */
    @WithDefault("true")
    boolean atUpload();

    /** Most insights kept per session, most important first. */
    @WithDefault("12")
    int maxInsights();

    /** Share of missing values from which a column is reported. */
    @WithDefault("0.2")
    double missingShare();

    /** Smallest absolute Pearson correlation reported between two numeric columns. */
    @WithDefault("0.5")
    double minCorrelation();

    /** Smallest absolute skewness reported for a numeric column. */
    @WithDefault("1.0")
    double minSkew();

    /** Share of its most frequent value from which a low-cardinality text column is reported. */
    @WithDefault("0.5")
    double dominantShare();

    /**
     * Time the worker spends finding insights before it returns what it has; capped below the execution deadline
     * ({@code sandbox.timeout}) that applies to the insights as to any execution.
     */
    @WithDefault("3s")
    Duration budget();

    /** How long a failure caused by the service (worker busy or restarting) is reported before insights are retried. */
    @WithDefault("30s")
    Duration retryAfter();
}
