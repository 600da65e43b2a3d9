package io.llmanalytics.analyst.plan;

import io.llmanalytics.analyst.Generation;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The multi-step side of an analyst: writes the plan of a question in a mode, the code of each step, and the
 * synthesis of the steps' results. One implementation per {@link io.llmanalytics.analyst.Analyst} (found by the same
 * {@link #name()}). Methods are lazy and non-blocking; failures are {@link io.llmanalytics.problem.ProblemException}s
 * ({@code QUESTION_NOT_UNDERSTOOD} for a mode or question the analyst declines, with what to do instead).
 */
public interface ModeAnalyst {

    /** The name of the {@link io.llmanalytics.analyst.Analyst} this belongs to. */
    String name();

    /** The plan: 1 to {@link PlanRequest#maxSteps()} steps. */
    Uni<StepPlan> plan(PlanRequest request);

    /** The code of one attempt of one step. */
    Uni<Generation> stepCode(StepRequest request);

    /** The findings of the steps, to be grounded by {@link SynthesisGrounding} before anyone sees them. */
    Uni<Synthesis> synthesize(PlanRequest request, List<StepOutcome> steps);
}
