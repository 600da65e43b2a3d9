package io.llmanalytics.analyst.openai;

import io.llmanalytics.analyst.LlmConfig;

/** How much of the data, history and feedback a prompt may hold. */
public record PromptLimits(
        int sampleRows,
        int maxValueLength,
        int maxResultChars,
        int maxContextCodeChars,
        int maxFeedbackChars,
        int contextLookback) {

    public static PromptLimits from(LlmConfig config) {
        LlmConfig.Prompt p = config.prompt();
        return new PromptLimits(
                p.sampleRows(),
                p.maxValueLength(),
                p.maxResultChars(),
                p.maxContextCodeChars(),
                p.maxFeedbackChars(),
                config.contextLookback());
    }

    /** The configuration defaults. */
    public static PromptLimits defaults() {
        return new PromptLimits(5, 80, 4000, 200, 2000, 3);
    }
}
