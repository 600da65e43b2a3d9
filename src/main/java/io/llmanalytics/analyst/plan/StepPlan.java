package io.llmanalytics.analyst.plan;

import io.llmanalytics.analyst.TokenUsage;
import java.util.List;

/**
 * The plan of a multi-step analysis: its steps in order, and what writing it cost.
 *
 * @param model the model that wrote it, or the analyst's name
 */
public record StepPlan(List<PlannedStep> steps, TokenUsage usage, String model) {

    public StepPlan {
        steps = steps == null ? List.of() : List.copyOf(steps);
        usage = usage == null ? TokenUsage.NONE : usage;
    }

    /** The goals, in order. */
    public List<String> goals() {
        return steps.stream().map(PlannedStep::goal).toList();
    }
}
