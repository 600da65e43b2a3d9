package io.llmanalytics.llm.openai;

import jakarta.enterprise.context.ApplicationScoped;

import io.llmanalytics.llm.Analyst;
import io.llmanalytics.llm.CodeExtractor;
import io.llmanalytics.llm.CodeRequest;
import io.llmanalytics.llm.Generation;
import io.llmanalytics.llm.InterpretationChunk;
import io.llmanalytics.llm.InterpretationRequest;
import io.llmanalytics.llm.LlmConfig;
import io.llmanalytics.llm.LlmMetrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The analyst backed by any OpenAI-compatible endpoint: code generation as one non-streamed call at
 * {@code OPENAI_CODE_GENERATION_TEMPERATURE}, interpretation streamed at {@code OPENAI_INTERPRETATION_TEMPERATURE},
 * both through {@link LlmGuard} (timeouts, retries honouring {@code Retry-After}, circuit breaker).
 */
@ApplicationScoped
public class OpenAiAnalyst implements Analyst {

    public static final String NAME = "openai";
    static final String CODE_GENERATION = "code_generation";
    static final String INTERPRETATION = "interpretation";

    private final LlmConfig config;
    private final OpenAiChat chat;
    private final LlmGuard guard;
    private final LlmMetrics metrics;
    private final CodeGenerationPrompt codePrompt;
    private final InterpretationPrompt interpretationPrompt;

    public OpenAiAnalyst(LlmConfig config, OpenAiChat chat, LlmGuard guard, LlmMetrics metrics) {
        this.config = config;
        this.chat = chat;
        this.guard = guard;
        this.metrics = metrics;
        PromptLimits limits = PromptLimits.from(config);
        this.codePrompt = new CodeGenerationPrompt(limits);
        this.interpretationPrompt = new InterpretationPrompt(limits);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<Generation> generateCode(CodeRequest request) {
        return Uni.createFrom().deferred(() -> {
            ChatPrompt prompt = codePrompt.build(request);
            return guard.call(CODE_GENERATION, () -> chat.complete(prompt, config.codeGenerationTemperature(),
                    config.codeGenerationMaxTokens()));
        }).map(reply -> {
            String model = reply.model() == null ? chat.model() : reply.model();
            metrics.tokens(model, reply.usage());
            return new Generation(CodeExtractor.extract(reply.text()), reply.text(), reply.usage(), model, NAME);
        });
    }

    @Override
    public Multi<InterpretationChunk> interpret(InterpretationRequest request) {
        return Multi.createFrom().deferred(() -> {
            ChatPrompt prompt = interpretationPrompt.build(request);
            StringBuilder text = new StringBuilder();
            return guard.stream(INTERPRETATION, () -> chat.stream(prompt, config.interpretationTemperature(),
                    config.interpretationMaxTokens()))
                    .map(chunk -> {
                        if (chunk instanceof ChatChunk.Token token) {
                            text.append(token.text());
                            return (InterpretationChunk) new InterpretationChunk.Delta(token.text());
                        }
                        ChatChunk.End end = (ChatChunk.End) chunk;
                        String model = end.model() == null ? chat.model() : end.model();
                        metrics.tokens(model, end.usage());
                        return new InterpretationChunk.Completed(text.toString().strip(), end.usage(), model);
                    });
        });
    }
}
