package io.llmanalytics.analyst.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.TokenStream;
import io.llmanalytics.analyst.Analyst;
import io.llmanalytics.analyst.AnalystHealth;
import io.llmanalytics.analyst.Clarification;
import io.llmanalytics.analyst.CodeExtractor;
import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.Generation;
import io.llmanalytics.analyst.InterpretationChunk;
import io.llmanalytics.analyst.InterpretationRequest;
import io.llmanalytics.analyst.LlmConfig;
import io.llmanalytics.analyst.LlmMetrics;
import io.llmanalytics.analyst.TokenUsage;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The analyst backed by any OpenAI-compatible endpoint, through the LangChain4j AI services {@link
 * CodeGenerationService} (one non-streamed call) and {@link InterpretationService} (streamed), both behind {@link
 * LlmGuard} (timeouts, retries honouring {@code Retry-After}, circuit breaker).
 *
 * <ul>
 * <li>Code generation is a blocking AI-service call, made on a virtual thread of its own (never the event loop or
 * the worker pool: a thousand calls waiting on the model cost a thousand parked virtual threads). Cancelling the
 * {@code Uni} interrupts that thread, and {@link VertxHttpClient} resets the request. The answer is delivered back on
 * the caller's Vert.x context when it had one.</li>
 * <li>Interpretation starts the AI service's {@link TokenStream} on a virtual thread under a {@link
 * CallExchanges}, so cancelling the {@code Multi} resets the HTTP request at any stage, also before the first token;
 * the tokens arrive on the Vert.x event loop, no thread waits for them. A stream that ends without a finish reason is
 * a {@link MalformedAnswerException}, not a short answer.</li>
 * <li>Unreadable JSON, which LangChain4j reports as a bare runtime exception, becomes a {@link
 * MalformedAnswerException} for {@link LlmFailure}; HTTP errors reach it as {@link UpstreamHttpException} causes.</li>
 * </ul>
 */
@ApplicationScoped
public class OpenAiAnalyst implements Analyst {

    public static final String NAME = "openai";
    static final String CODE_GENERATION = "code_generation";
    static final String INTERPRETATION = "interpretation";

    private final OpenAiEndpoint endpoint;
    private final LlmGuard guard;
    private final LlmMetrics metrics;
    private final CodeGenerationService codeGeneration;
    private final InterpretationService interpretation;
    private final CodeGenerationPrompt codePrompt;
    private final InterpretationPrompt interpretationPrompt;
    private final VirtualCalls calls = new VirtualCalls("llm-call-");

    public OpenAiAnalyst(
            LlmConfig config,
            OpenAiEndpoint endpoint,
            LlmGuard guard,
            LlmMetrics metrics,
            CodeGenerationService codeGeneration,
            InterpretationService interpretation) {
        this.endpoint = endpoint;
        this.guard = guard;
        this.metrics = metrics;
        this.codeGeneration = codeGeneration;
        this.interpretation = interpretation;
        PromptLimits limits = PromptLimits.from(config);
        this.codePrompt = new CodeGenerationPrompt(limits);
        this.interpretationPrompt = new InterpretationPrompt(limits);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Whether a key or a base URL is configured. */
    @Override
    public boolean configured() {
        return endpoint.configured();
    }

    /** Above the rule-based analyst: under {@code ANALYST=auto} a configured endpoint answers. */
    @Override
    public int priority() {
        return 10;
    }

    /** Model, endpoint host, whether configured and the circuit-breaker state; down when unconfigured or open. */
    @Override
    public AnalystHealth health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", endpoint.model());
        details.put("endpoint", endpoint.endpointHost());
        details.put("configured", endpoint.configured());
        CircuitBreaker.State state = guard.breaker().state();
        details.put("circuit_breaker", state.name().toLowerCase(Locale.ROOT));
        return new AnalystHealth(endpoint.configured() && state != CircuitBreaker.State.OPEN, details);
    }

    @Override
    public Uni<Generation> generateCode(CodeRequest request) {
        return Uni.createFrom()
                .deferred(() -> {
                    String data = codePrompt.data(request);
                    String question = request.question().strip();
                    return guard.call(CODE_GENERATION, () -> calls.uni(() -> writeCode(data, question)));
                })
                .map(reply -> {
                    metrics.tokens(reply.model(), reply.usage());
                    Optional<Clarification> clarification;
                    try {
                        clarification = CodeExtractor.clarification(reply.text());
                    } catch (CodeExtractor.MalformedClarification e) {
                        throw new ProblemException(
                                ProblemType.LLM_UNAVAILABLE,
                                "The language model asked a clarifying question that could not be used: "
                                        + e.getMessage() + ". Ask again, or name the columns and period to use.");
                    }
                    if (clarification.isPresent()) {
                        return Generation.clarify(
                                clarification.get(), reply.text(), reply.usage(), reply.model(), NAME);
                    }
                    String code = CodeExtractor.extract(reply.text());
                    return new Generation(
                            code, reply.text(), reply.usage(), reply.model(), NAME, CodeExtractor.reading(code));
                });
    }

    @Override
    public Multi<InterpretationChunk> interpret(InterpretationRequest request) {
        return Multi.createFrom().deferred(() -> {
            String data = interpretationPrompt.data(request);
            String question = request.question().strip();
            return guard.stream(INTERPRETATION, () -> explain(question, data));
        });
    }

    /**
     * Pays the first-call costs of LangChain4j and the AI services (class loading, templates, request serialisation:
     * seconds on a busy machine) at start-up rather than in the first question: when an endpoint is configured, both
     * AI services run once under a cancelled {@link CallExchanges}, so they render their prompts and build their
     * requests but nothing is sent.
     */
    void warmUp(@Observes StartupEvent event) {
        warmUpNow();
    }

    /** The warm-up of {@link #warmUp}, done when the returned future is (at once when no endpoint is configured). */
    Future<?> warmUpNow() {
        if (!endpoint.configured()) {
            return CompletableFuture.completedFuture(null);
        }
        return calls.submit(() -> {
            long start = System.nanoTime();
            CallExchanges dryRun = new CallExchanges();
            dryRun.cancel();
            dryRun.run(() -> {
                try {
                    codeGeneration.writeCode(codePrompt.allowedModules(), "", "warm-up");
                } catch (RuntimeException expected) {
                    // CancellationException: the request was built, then not sent
                }
                try {
                    interpretation
                            .explain("warm-up", "")
                            .onPartialResponse(token -> {})
                            .onError(failure -> {})
                            .start();
                } catch (RuntimeException e) {
                    Log.debugf("LLM warm-up of interpretation failed: %s", e.toString());
                }
            });
            Log.debugf("LLM stage warmed up in %d ms", (System.nanoTime() - start) / 1_000_000);
        });
    }

    @PreDestroy
    void close() {
        calls.close();
    }

    /** One attempt of code generation; blocking, on a virtual thread. */
    private ChatReply writeCode(String data, String question) {
        ReportedModel.take();
        Result<String> result;
        try {
            result = codeGeneration.writeCode(codePrompt.allowedModules(), data, question);
        } catch (RuntimeException e) {
            throw named(e, "the answer is not JSON: ");
        }
        String model = ReportedModel.take();
        if (result.content() == null) {
            throw new MalformedAnswerException("the answer holds no message content");
        }
        return new ChatReply(result.content(), usage(result.tokenUsage()), model == null ? endpoint.model() : model);
    }

    /**
     * One attempt of interpretation: tokens, then the whole text with usage and model. The AI service renders the
     * prompt and starts the request on a virtual thread (nothing of it runs on the subscriber's event loop); the
     * tokens then arrive on the Vert.x event loop of the HTTP client.
     */
    private Multi<InterpretationChunk> explain(String question, String data) {
        return Multi.createFrom().emitter(emitter -> {
            CallExchanges exchanges = new CallExchanges();
            emitter.onTermination(exchanges::cancel);
            calls.execute(() -> {
                if (emitter.isCancelled()) {
                    return;
                }
                try {
                    StringBuilder text = new StringBuilder();
                    TokenStream stream = interpretation
                            .explain(question, data)
                            .onPartialResponse(token -> {
                                text.append(token);
                                emitter.emit(new InterpretationChunk.Delta(token));
                            })
                            .onCompleteResponse(response -> {
                                if (response.finishReason() == null) {
                                    emitter.fail(new MalformedAnswerException(
                                            "the stream ended before the answer was complete"));
                                    return;
                                }
                                String model = response.modelName() == null ? endpoint.model() : response.modelName();
                                TokenUsage usage = usage(response.tokenUsage());
                                metrics.tokens(model, usage);
                                emitter.emit(new InterpretationChunk.Completed(
                                        text.toString().strip(), usage, model));
                                emitter.complete();
                            })
                            .onError(failure -> emitter.fail(named(failure, "a streamed chunk is not JSON: ")));
                    exchanges.run(stream::start);
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
        });
    }

    /** A failure as {@link LlmFailure} can classify it: LangChain4j's unreadable-answer failures get a name. */
    static RuntimeException named(Throwable failure, String notJson) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return new MalformedAnswerException(notJson + json.getOriginalMessage());
            }
        }
        if (failure instanceof InternalServerException && failure.getCause() == null) {
            // LangChain4j's own complaint about a 2xx answer (no choices); HTTP 5xx always carry their cause
            return new MalformedAnswerException("the answer holds no choices");
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    private static TokenUsage usage(dev.langchain4j.model.output.TokenUsage usage) {
        return usage == null
                ? TokenUsage.NONE
                : TokenUsage.of(usage.inputTokenCount(), usage.outputTokenCount(), usage.totalTokenCount());
    }
}
