package io.llmanalytics.analyst;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Writes the pandas code that answers a question and explains the executed result: the language-model stage of an
 * analysis. Two implementations exist: the OpenAI analyst (any OpenAI-compatible endpoint) and the rule-based offline
 * analyst. {@link AnalystSelector#active()} gives the one configured.
 *
 * <p>Both methods are lazy (nothing happens before subscription) and non-blocking. Cancelling the subscription
 * cancels the work in flight, including the HTTP call to the model. Failures are {@link
 * io.llmanalytics.problem.ProblemException}s: {@code LLM_UNAVAILABLE} (endpoint down, refused, rate limited after
 * retries, circuit open; with a {@code Retry-After} when one is known), {@code TIMEOUT}, {@code LLM_NOT_CONFIGURED}, or
 * {@code QUESTION_NOT_UNDERSTOOD} (offline analyst).
 */
public interface Analyst {

    /** The analyst's name as reported to clients ({@code done.usage.analyst}): {@code openai} or {@code offline}. */
    String name();

    /** Whether this analyst can answer with the current configuration (the OpenAI analyst: a key or base URL set). */
    boolean configured();

    /**
     * Rank under {@code ANALYST=auto}: the configured analyst with the highest priority answers (a language model
     * before the rule-based analyst).
     */
    int priority();

    /** This analyst's part of the health report, when it is the selected one. */
    AnalystHealth health();

    /** Writes the code of one attempt; {@link CodeRequest#previous()} carries the failed attempt to repair. */
    Uni<Generation> generateCode(CodeRequest request);

    /**
     * Explains an executed result as a stream: {@link InterpretationChunk.Delta} tokens in order, then exactly one
     * {@link InterpretationChunk.Completed} with the whole text and its usage. Use {@link GroundedInterpreter} to get
     * the grounding check, the single regeneration and the fallback on top of this.
     */
    Multi<InterpretationChunk> interpret(InterpretationRequest request);
}
