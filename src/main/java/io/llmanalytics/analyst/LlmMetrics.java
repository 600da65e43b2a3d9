package io.llmanalytics.analyst;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Counters and timers of the language-model stage, tagged by operation ({@code code_generation},
 * {@code interpretation}), model and outcome: {@code llm.calls}, {@code llm.errors}, {@code llm.retries},
 * {@code llm.tokens} (kind input/output), {@code llm.call.duration}, {@code llm.interpretation.fallbacks}. Errors and
 * retries carry the configured model ({@code OPENAI_MODEL}), the model they were meant for.
 */
@ApplicationScoped
public class LlmMetrics {

    private final MeterRegistry registry;
    private final String configuredModel;

    public LlmMetrics(MeterRegistry registry, LlmConfig config) {
        this.registry = registry;
        this.configuredModel = config.model();
    }

    /** One logical call ended (after its retries). */
    public void call(String operation, String model, String outcome, Duration duration) {
        Counter.builder("llm.calls")
                .description("Calls to the language model, after retries")
                .tag("operation", operation)
                .tag("model", model)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder("llm.call.duration")
                .description("Duration of calls to the language model, retries included")
                .tag("operation", operation)
                .tag("model", model)
                .tag("outcome", outcome)
                .register(registry)
                .record(duration);
    }

    /** One HTTP attempt failed. */
    public void error(String operation, String type) {
        Counter.builder("llm.errors")
                .description("Failed attempts to call the language model")
                .tag("operation", operation)
                .tag("model", configuredModel)
                .tag("type", type)
                .register(registry)
                .increment();
    }

    /** One attempt is retried. */
    public void retry(String operation, String reason) {
        Counter.builder("llm.retries")
                .description("Retried calls to the language model")
                .tag("operation", operation)
                .tag("model", configuredModel)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void tokens(String model, TokenUsage usage) {
        if (usage == null) {
            return;
        }
        Counter.builder("llm.tokens")
                .description("Tokens consumed")
                .tag("model", model)
                .tag("kind", "input")
                .register(registry)
                .increment(usage.inputTokens());
        Counter.builder("llm.tokens")
                .description("Tokens consumed")
                .tag("model", model)
                .tag("kind", "output")
                .register(registry)
                .increment(usage.outputTokens());
    }

    /** An interpretation was replaced by the fallback; reason {@code ungrounded} or {@code failed}. */
    public void fallback(String reason) {
        Counter.builder("llm.interpretation.fallbacks")
                .description("Interpretations replaced by the fallback")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
