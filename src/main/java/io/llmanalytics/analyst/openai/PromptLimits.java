package io.llmanalytics.analyst.openai;

import io.llmanalytics.analyst.LlmConfig;

/** How much of the data, history and feedback a prompt may hold. */
public record PromptLimits(
        int sampleRows,
        int maxValueLength,
        int maxResultChars,
        int maxContextCodeChars,
        int maxFeedbackChars,
        int contextLookback,
        int schemaTokens) {

    /** Limits with the default schema budget. */
    public PromptLimits(
            int sampleRows,
            int maxValueLength,
            int maxResultChars,
            int maxContextCodeChars,
            int maxFeedbackChars,
            int contextLookback) {
        this(sampleRows, maxValueLength, maxResultChars, maxContextCodeChars, maxFeedbackChars, contextLookback, 4000);
    }

    /** These limits with another schema budget. */
    public PromptLimits withSchemaTokens(int tokens) {
        return new PromptLimits(
                sampleRows,
                maxValueLength,
                maxResultChars,
                maxContextCodeChars,
                maxFeedbackChars,
                contextLookback,
                tokens);
    }

    public static PromptLimits from(LlmConfig config) {
        LlmConfig.Prompt p = config.prompt();
        return new PromptLimits(
                p.sampleRows(),
                p.maxValueLength(),
                p.maxResultChars(),
                p.maxContextCodeChars(),
                p.maxFeedbackChars(),
                config.contextLookback(),
                p.schemaTokens());
    }

    /** The configuration defaults. */
    public static PromptLimits defaults() {
        return new PromptLimits(5, 80, 4000, 200, 2000, 3);
    }
}
