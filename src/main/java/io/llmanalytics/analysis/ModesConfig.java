package io.llmanalytics.analysis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Budgets of the multi-step analysis modes ({@code explore}, {@code statistics}, {@code model}): an analysis that
 * reaches one ends with what it has, and its report says which budget ended it.
 */
@ConfigMapping(prefix = "analysis.modes")
public interface ModesConfig {

    /** Most steps a plan may run ({@code ANALYSIS_MODES_MAX_STEPS}); a longer plan is cut to this. */
    @WithDefault("8")
    @Min(1) @Max(20) int maxSteps();

    /** Attempts (code, validation, execution) per step before the step is reported failed and the next one runs. */
    @WithDefault("2")
    @Min(1) @Max(10) int attemptsPerStep();

    /** Wall time of one whole analysis (plan, steps, synthesis); steps not started by then are not run. */
    @WithDefault("120s")
    Duration wallTime();
}
