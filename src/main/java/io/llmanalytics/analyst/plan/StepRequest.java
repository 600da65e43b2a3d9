package io.llmanalytics.analyst.plan;

import io.llmanalytics.analyst.PreviousAttempt;
import java.util.List;

/**
 * What writing the code of one step needs.
 *
 * @param plan the analysis' plan request (mode, question, datasets)
 * @param step the step's number, from 1
 * @param planned the step as planned (its goal, and its code when the plan carries it)
 * @param earlier the earlier steps' outcomes; their results are bound to {@code step1}, {@code step2}...
 * @param attempt the attempt number, from 1
 * @param previous the failed attempt to repair, or null
 */
public record StepRequest(
        PlanRequest plan,
        int step,
        PlannedStep planned,
        List<StepOutcome> earlier,
        int attempt,
        PreviousAttempt previous) {

    public StepRequest {
        earlier = earlier == null ? List.of() : List.copyOf(earlier);
    }

    /** The next attempt, repairing {@code failed}. */
    public StepRequest retry(PreviousAttempt failed) {
        return new StepRequest(plan, step, planned, earlier, attempt + 1, failed);
    }
}
