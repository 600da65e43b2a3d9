package io.llmanalytics.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.Grounding;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * A complete multi-step analysis ({@code done} of the modes other than {@code answer}).
 *
 * @param question the question
 * @param mode {@code explore}, {@code statistics} or {@code model}
 * @param plan the steps' goals, in order
 * @param steps what each step came to
 * @param report the grounded synthesis
 * @param conversationId the id of this interaction in the session's history
 * @param usage which analyst and model answered, and the tokens used
 * @param timings milliseconds in total
 */
@RegisterForReflection
public record ModeAnswer(
        String question,
        String mode,
        List<String> plan,
        List<Step> steps,
        Report report,
        String conversationId,
        Answer.Usage usage,
        Map<String, Double> timings) {

    /**
     * One step.
     *
     * @param status {@code done}, {@code failed} or {@code not_run} (a budget ended the analysis before it)
     * @param code the code of its last attempt
     * @param result its typed result (null unless done)
     * @param error why it failed
     * @param attempts how many attempts it took
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(
            int step,
            String goal,
            String status,
            String code,
            JsonNode result,
            Boolean truncated,
            String error,
            int attempts,
            double executionTime) {}

    /**
     * The synthesis.
     *
     * @param text the findings in plain words; every number in it comes from a step's result
     * @param findings one line per finding, grounded like the text
     * @param nextQuestions two or three questions to ask next
     * @param endedBy {@code complete} when every planned step ran, else the budget that ended the analysis:
     *     {@code steps}, {@code wall_time}
     * @param grounding whether anything had to be removed ({@code ungrounded}: the numbers removed)
     * @param budgets the budgets in force: {@code max_steps}, {@code attempts_per_step}, {@code wall_time_seconds}
     */
    @RegisterForReflection
    public record Report(
            String text,
            List<String> findings,
            List<String> nextQuestions,
            String endedBy,
            Grounding grounding,
            Map<String, Object> budgets) {}
}
