package io.llmanalytics.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * One interaction of a session (a question and what came of it), as stored in the {@code interactions} collection
 * and as the session view lists it ({@code history}, snake_case keys). Encoded by the record codecs of
 * {@link io.llmanalytics.store.RecordCodecs}; values of type {@code Object} are JSON-like trees (maps, lists, text,
 * numbers, booleans).
 *
 * @param conversationId the interaction's id (the {@code conversation_id} of its answer)
 * @param resultSummary the whole result in words, written from the worker's facts; the prompt's context
 * @param rawResult the typed result, or {@code {type: omitted, reason}} when it was too large to keep
 * @param problem the problem that ended a failed interaction ({@code type}, {@code title}, {@code status} and its
 *     extension members); null when it was answered
 * @param analysis a multi-step analysis ({@code mode}, {@code plan}, {@code steps} [{step, goal, status, code,
 *     result, error}], {@code report}); null for a single answer
 * @param clarification the question the analyst asked back instead of answering, with the questions offered; null
 *     otherwise
 */
@RegisterForReflection
public record StoredInteraction(
        @JsonProperty("id") String conversationId,
        Instant startedAt,
        Instant finishedAt,
        String question,
        String generatedCode,
        List<Attempt> attempts,
        String resultSummary,
        String reading,
        Object rawResult,
        String interpretation,
        String error,
        Double executionTime,
        List<ChartRef> charts,
        Boolean privacy,
        Usage usage,
        Grounding grounding,
        Object problem,
        @JsonInclude(JsonInclude.Include.NON_NULL) Object analysis,
        Clarification clarification) {

    /** A single answer's interaction (no multi-step analysis). */
    public StoredInteraction(
            String conversationId,
            Instant startedAt,
            Instant finishedAt,
            String question,
            String generatedCode,
            List<Attempt> attempts,
            String resultSummary,
            String reading,
            Object rawResult,
            String interpretation,
            String error,
            Double executionTime,
            List<ChartRef> charts,
            Boolean privacy,
            Usage usage,
            Grounding grounding,
            Object problem) {
        this(
                conversationId,
                startedAt,
                finishedAt,
                question,
                generatedCode,
                attempts,
                resultSummary,
                reading,
                rawResult,
                interpretation,
                error,
                executionTime,
                charts,
                privacy,
                usage,
                grounding,
                problem,
                null,
                null);
    }

    public StoredInteraction {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        charts = charts == null ? List.of() : List.copyOf(charts);
    }

    /** Whether it was answered with code (the ones a notebook, an export and the prompt's context use). */
    public boolean answered() {
        return error == null && generatedCode != null && conversationId != null;
    }

    /** The same interaction, ended by {@code problem}. */
    public StoredInteraction withProblem(Object problem) {
        return new StoredInteraction(
                conversationId,
                startedAt,
                finishedAt,
                question,
                generatedCode,
                attempts,
                resultSummary,
                reading,
                rawResult,
                interpretation,
                error,
                executionTime,
                charts,
                privacy,
                usage,
                grounding,
                problem,
                analysis,
                clarification);
    }

    /** The same interaction, holding the multi-step analysis {@code analysis}. */
    public StoredInteraction withAnalysis(Object analysis) {
        return new StoredInteraction(
                conversationId,
                startedAt,
                finishedAt,
                question,
                generatedCode,
                attempts,
                resultSummary,
                reading,
                rawResult,
                interpretation,
                error,
                executionTime,
                charts,
                privacy,
                usage,
                grounding,
                problem,
                analysis,
                clarification);
    }

    /** One attempt of the self-healing loop: its code, the validator's verdict and the execution (each may be null). */
    @RegisterForReflection
    public record Attempt(Integer attempt, String code, Validation validation, Execution execution) {}

    @RegisterForReflection
    public record Validation(Boolean ok, List<Violation> violations) {}

    @RegisterForReflection
    public record Violation(String rule, String message, Integer line, Integer column) {}

    @RegisterForReflection
    public record Execution(Boolean success, String error, Double executionTime) {}

    /** A chart drawn by the answer; {@code plot} only when small enough; {@code href} when its image was stored. */
    @RegisterForReflection
    public record ChartRef(String mime, Integer width, Integer height, Object plot, String href) {}

    /** Which analyst and model answered, and the tokens used. */
    @RegisterForReflection
    public record Usage(String analyst, String model, Integer inputTokens, Integer outputTokens, Integer totalTokens) {}

    /** The question asked back, and the complete questions offered as answers to it. */
    @RegisterForReflection
    public record Clarification(String question, List<String> options) {}

    /** Whether the interpretation's numbers were found in the result, and the ones that were not. */
    @RegisterForReflection
    public record Grounding(Boolean ok, List<String> ungrounded) {}
}
