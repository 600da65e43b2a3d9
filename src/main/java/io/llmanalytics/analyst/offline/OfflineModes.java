package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.AnalystSelector;
import io.llmanalytics.analyst.Generation;
import io.llmanalytics.analyst.TokenUsage;
import io.llmanalytics.analyst.plan.Mode;
import io.llmanalytics.analyst.plan.ModeAnalyst;
import io.llmanalytics.analyst.plan.PlanRequest;
import io.llmanalytics.analyst.plan.PlannedStep;
import io.llmanalytics.analyst.plan.StepOutcome;
import io.llmanalytics.analyst.plan.StepPlan;
import io.llmanalytics.analyst.plan.StepRequest;
import io.llmanalytics.analyst.plan.Synthesis;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The offline analyst's multi-step modes: {@code explore} for any table ({@link Explore}), {@code statistics} for the
 * two comparisons it can read ({@link Statistics}); everything else, and {@code model}, is declined with what to
 * configure instead, never guessed. The code of each step is written with the plan; a retry runs it again.
 */
@ApplicationScoped
public class OfflineModes implements ModeAnalyst {

    static final String NEEDS_MODEL = " needs a language model: configure OPENAI_API_KEY (and optionally OPENAI_MODEL),"
            + " or OPENAI_BASE_URL for any OpenAI-compatible server, then restart the service.";

    @Override
    public String name() {
        return AnalystSelector.OFFLINE;
    }

    @Override
    public Uni<StepPlan> plan(PlanRequest request) {
        return Uni.createFrom().item(() -> new StepPlan(steps(request), TokenUsage.NONE, OfflineAnalyst.MODEL));
    }

    private static List<PlannedStep> steps(PlanRequest request) {
        return switch (request.mode()) {
            case EXPLORE -> Explore.plan(request.datasets().get(0));
            case STATISTICS ->
                Statistics.read(request.question(), request.datasets().get(0))
                        .map(reading -> {
                            List<String> left = Statistics.unexplained(request.question(), reading);
                            if (!left.isEmpty()) {
                                throw new ProblemException(
                                        ProblemType.QUESTION_NOT_UNDERSTOOD,
                                        "Without a language model, statistics mode did not understand "
                                                + String.join(
                                                        ", ",
                                                        left.stream()
                                                                .map(w -> "'" + w + "'")
                                                                .toList())
                                                + " in this question: it compares a measure between two values of one"
                                                + " column, or relates two columns, over all rows, and would not drop"
                                                + " a condition. A question with conditions" + NEEDS_MODEL);
                            }
                            return Statistics.plan(reading);
                        })
                        .orElseThrow(() -> new ProblemException(
                                ProblemType.QUESTION_NOT_UNDERSTOOD,
                                "Without a language model, statistics mode answers two kinds of question: \"is the"
                                        + " difference in <measure> between <value> and <value> significant\" (two"
                                        + " values of one column) and \"is <column> related to <column>\". Any other"
                                        + " statistical question" + NEEDS_MODEL));
            case MODEL -> throw new ProblemException(ProblemType.QUESTION_NOT_UNDERSTOOD, "Model mode" + NEEDS_MODEL);
            case ANSWER -> throw new IllegalArgumentException("answer mode has no plan");
        };
    }

    @Override
    public Uni<Generation> stepCode(StepRequest request) {
        String code = request.planned().code() == null ? "" : request.planned().code();
        return Uni.createFrom()
                .item(new Generation(
                        code,
                        code,
                        TokenUsage.NONE,
                        OfflineAnalyst.MODEL,
                        name(),
                        request.planned().goal()));
    }

    @Override
    public Uni<Synthesis> synthesize(PlanRequest request, List<StepOutcome> steps) {
        return Uni.createFrom().item(() -> {
            if (request.mode() == Mode.STATISTICS) {
                return Statistics.read(request.question(), request.datasets().get(0))
                        .map(reading -> Statistics.narrate(reading, steps))
                        .orElseThrow();
            }
            return Explore.narrate(steps);
        });
    }
}
