package io.llmanalytics.api;

import java.util.List;

/**
 * Several questions about a session's data, answered in parallel.
 *
 * @param questions 1 to {@code BATCH_MAX_QUESTIONS} (default 10) questions, each 1 to 1,000 characters after trimming
 * @param privacy when true, no cell value reaches the LLM (defaults to {@code PRIVACY_MODE})
 */
public record BatchRequest(List<String> questions, Boolean privacy) {}
