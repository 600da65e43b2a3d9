package io.llmanalytics.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.Clarification;
import io.llmanalytics.analyst.Grounding;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * The complete answer to a question ({@code done}); the first seven fields are named as in the original design.
 *
 * @param question the question
 * @param generatedCode the code of the successful attempt (the last attempt's when none succeeded)
 * @param rawResult the worker's typed result
 * @param interpretation the plain-language explanation
 * @param error why there is no answer, or null
 * @param executionTime seconds the successful execution took
 * @param conversationId the id of this interaction in the session's history
 * @param attempts every attempt: its code, verdict and execution
 * @param charts the figures drawn
 * @param usage which analyst and model answered, and the tokens used
 * @param grounding whether the interpretation's numbers are supported by the result
 * @param timings milliseconds spent generating code, validating, executing and interpreting (all attempts), and in
 *        total from the request to the answer
 * @param reading what the executed code computes, in plain words, as the analyst stated it; null when it stated none
 * @param clarification the question the analyst asked back instead of answering (no code, no result); null otherwise
 * @param verified true when the code is a verified answer's, reused for the same question on unchanged data (run
 *        again, not a stored result); absent otherwise
 * @param verifiedFrom the interaction id of the verified answer reused; absent when none was
 */
@RegisterForReflection
public record Answer(
        String question,
        String generatedCode,
        JsonNode rawResult,
        String interpretation,
        String error,
        double executionTime,
        String conversationId,
        List<Attempt> attempts,
        List<AnalysisEvent.Chart> charts,
        Usage usage,
        Grounding grounding,
        Map<String, Double> timings,
        String reading,
        Clarification clarification,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean verified,
        @JsonInclude(JsonInclude.Include.NON_NULL) String verifiedFrom) {

    /** An answer without a clarifying question that reused no verified answer. */
    public Answer(
            String question,
            String generatedCode,
            JsonNode rawResult,
            String interpretation,
            String error,
            double executionTime,
            String conversationId,
            List<Attempt> attempts,
            List<AnalysisEvent.Chart> charts,
            Usage usage,
            Grounding grounding,
            Map<String, Double> timings,
            String reading) {
        this(
                question,
                generatedCode,
                rawResult,
                interpretation,
                error,
                executionTime,
                conversationId,
                attempts,
                charts,
                usage,
                grounding,
                timings,
                reading,
                null,
                null,
                null);
    }

    /** One attempt of the self-healing loop. */
    @RegisterForReflection
    public record Attempt(
            int attempt, String code, AnalysisEvent.Validation validation, AnalysisEvent.Execution execution) {}

    /** Who answered and what it cost. */
    @RegisterForReflection
    public record Usage(String analyst, String model, int inputTokens, int outputTokens, int totalTokens) {}
}
