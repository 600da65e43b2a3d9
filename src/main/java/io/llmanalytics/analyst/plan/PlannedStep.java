package io.llmanalytics.analyst.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One step of a plan.
 *
 * @param goal what the step computes, in one line
 * @param code the step's code when the analyst wrote it with the plan (the offline analyst); null when it is written
 *     when the step runs
 */
@RegisterForReflection
public record PlannedStep(String goal, @JsonIgnore String code) {

    public PlannedStep {
        goal = goal == null ? "" : goal.replaceAll("\\s+", " ").strip();
    }

    /** A step whose code is written when it runs. */
    public static PlannedStep of(String goal) {
        return new PlannedStep(goal, null);
    }
}
