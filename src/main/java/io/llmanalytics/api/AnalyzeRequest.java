package io.llmanalytics.api;

/**
 * A question about a session's data.
 *
 * @param question 1 to 1,000 characters after trimming
 * @param privacy when true, no cell value reaches the LLM (defaults to {@code PRIVACY_MODE})
 */
public record AnalyzeRequest(String question, Boolean privacy) {}
