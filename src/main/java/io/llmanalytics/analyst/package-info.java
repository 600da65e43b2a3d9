/**
 * The language-model stage of an analysis: writing the pandas code that answers a question, and explaining the
 * executed result.
 *
 * <h2>For the analysis pipeline</h2>
 *
 * <pre>{@code
 * Analyst analyst = selector.active();                       // LLM_NOT_CONFIGURED problem when none can answer
 * CodeRequest request = CodeRequest.first(question, schemas, lastInteractions, privacy);
 * analyst.generateCode(request)                              // Uni<Generation>: code, rawText, usage, model, analyst
 * // validation or execution failed: the next attempt carries the failure (at most config.maxAttempts())
 * analyst.generateCode(request.retry(PreviousAttempt.execution(code, errorWithUserTraceback)))
 * // success: the explanation, grounded, never failing because of the model
 * interpreter.interpret(analyst, InterpretationRequest.of(question, resultJson, code, stdout, privacy))
 *     // Multi<InterpretationEvent>: Delta* [Retracted Delta*] Final
 * }</pre>
 *
 * <ul>
 * <li>{@link io.llmanalytics.analyst.AnalystSelector}: the active {@link io.llmanalytics.analyst.Analyst} from
 * {@code ANALYST} ({@code auto}: the configured analyst of highest {@code priority()}, so OpenAI when {@code
 * OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set, else the offline analyst). Each analyst says whether it is
 * {@code configured()} and gives its part of the health report ({@link io.llmanalytics.analyst.AnalystHealth}): the
 * selector and {@link io.llmanalytics.analyst.LlmHealth} import no adapter.</li>
 * <li>Adapters: {@code io.llmanalytics.analyst.openai}, two LangChain4j AI services registered with
 * quarkus-langchain4j, {@code CodeGenerationService} and {@code InterpretationService} (prompts in their annotations),
 * on LangChain4j's OpenAI models over a Vert.x HTTP client ({@code OpenAiEndpoint}, {@code VertxHttpClient}), behind
 * {@code LlmGuard} (timeouts, retries honouring {@code Retry-After}, circuit breaker on an injectable clock,
 * {@code @LlmClock}); and {@code io.llmanalytics.analyst.offline}, the rule-based analyst.</li>
 * <li>Numbers written for people go through {@link io.llmanalytics.analyst.Numbers}, whichever analyst writes
 * them.</li>
 * <li>Every call is lazy and never blocks the caller's thread: code generation waits on a virtual thread of its own,
 * interpretation streams without any thread waiting. Cancelling the {@code Uni}/{@code Multi} (a client that
 * disconnects) resets the HTTP request to the model at any stage. A generated code arrives on the subscriber's Vert.x
 * context (or a virtual thread when it had none), interpretation tokens on a Vert.x event loop: move blocking work
 * (GraalPy validation) elsewhere with {@code emitOn}.</li>
 * <li>Failures are {@link io.llmanalytics.problem.ProblemException}s: {@code LLM_UNAVAILABLE} (with
 * {@code retryAfter()} when the endpoint or the open circuit breaker gave one), {@code TIMEOUT},
 * {@code LLM_NOT_CONFIGURED}. {@link io.llmanalytics.analyst.GroundedInterpreter} turns interpretation failures into the
 * fallback instead.</li>
 * <li>{@link io.llmanalytics.analyst.GroundingChecker}, {@link io.llmanalytics.analyst.FallbackInterpretation} and {@link
 * io.llmanalytics.analyst.CodeExtractor} are plain functions, usable by any analyst. {@code
 * FallbackInterpretation.describe(result)} also makes a good {@link io.llmanalytics.analyst.Interaction#resultSummary()}
 * for history.</li>
 * <li>Settings: {@link io.llmanalytics.analyst.LlmConfig} ({@code llm.*}); metrics: {@link
 * io.llmanalytics.analyst.LlmMetrics}; health: {@link io.llmanalytics.analyst.LlmHealth} ({@code llm}).</li>
 * </ul>
 *
 * <p>Tests use the project's OpenAI-compatible stub ({@code io.llmanalytics.testing.llm.OpenAiStub}, test sources)
 * through the {@code LlmStubProfile} test profile.
 */
package io.llmanalytics.analyst;
