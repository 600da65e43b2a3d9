package io.llmanalytics.analyst;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Tokens one call (or several, once added up) consumed; zeros for the offline analyst. */
@RegisterForReflection
public record TokenUsage(int inputTokens, int outputTokens, int totalTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    public static TokenUsage of(Integer input, Integer output, Integer total) {
        int in = input == null ? 0 : input;
        int out = output == null ? 0 : output;
        return new TokenUsage(in, out, total == null ? in + out : total);
    }

    public TokenUsage plus(TokenUsage other) {
        return other == null
                ? this
                : new TokenUsage(
                        inputTokens + other.inputTokens,
                        outputTokens + other.outputTokens,
                        totalTokens + other.totalTokens);
    }
}
