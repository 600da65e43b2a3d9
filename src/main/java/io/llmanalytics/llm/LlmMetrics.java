package io.llmanalytics.llm;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counters and timers of the language-model stage, tagged by operation ({@code code_generation},
 * {@code interpretation}), model and outcome: {@code llm.calls}, {@code llm.errors}, {@code llm.retries},
 * {@code llm.tokens} (kind input/output), {@code llm.call.duration}, {@code llm.interpretation.fallbacks}.
 */
@ApplicationScoped
public class LlmMetrics {

    private final MeterRegistry registry;

    public LlmMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One logical call ended (after its retries). */
    public void call(String operation, String model, String outcome, Duration duration) {
        Counter.builder("llm.calls").description("Calls to the language model, after retries")
                .tag("operation", operation).tag("model", model).tag("outcome", outcome).register(registry)
                .increment();
        Timer.builder("llm.call.duration").description("Duration of calls to the language model, retries included")
                .tag("operation", operation).tag("model", model).tag("outcome", outcome).register(registry)
                .record(duration);
    }

    /** One HTTP attempt failed. */
    public void error(String operation, String type) {
        Counter.builder("llm.errors").description("Failed attempts to call the language model")
                .tag("operation", operation).tag("type", type).register(registry).increment();
    }

    /** One attempt is retried. */
    public void retry(String operation, String reason) {
        Counter.builder("llm.retries").description("Retried calls to the language model")
                .tag("operation", operation).tag("reason", reason).register(registry).increment();
    }

    public void tokens(String model, TokenUsage usage) {
        if (usage == null) {
            return;
        }
        Counter.builder("llm.tokens").description("Tokens consumed").tag("model", model).tag("kind", "input")
                .register(registry).increment(usage.inputTokens());
        Counter.builder("llm.tokens").description("Tokens consumed").tag("model", model).tag("kind", "output")
                .register(registry).increment(usage.outputTokens());
    }

    /** An interpretation was replaced by the fallback; reason {@code ungrounded} or {@code failed}. */
    public void fallback(String reason) {
        Counter.builder("llm.interpretation.fallbacks").description("Interpretations replaced by the fallback")
                .tag("reason", reason).register(registry).increment();
    }
}
