package io.llmanalytics.api;

/**
 * A question about a session's data.
 *
 * @param question 1 to 1,000 characters after trimming
 * @param privacy when true, no cell value reaches the LLM (defaults to {@code PRIVACY_MODE})
 * @param mode {@code answer} (the default: one answer), {@code explore}, {@code statistics} or {@code model} (a plan
 *     of steps, then a report)
 */
public record AnalyzeRequest(String question, Boolean privacy, String mode) {

    /** A question in the default mode. */
    public AnalyzeRequest(String question, Boolean privacy) {
        this(question, privacy, null);
    }
}
