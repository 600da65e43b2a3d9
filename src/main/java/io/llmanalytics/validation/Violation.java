package io.llmanalytics.validation;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One reason why code was refused.
 *
 * @param rule the id of the rule (see {@code GET /api/policy})
 * @param message what is wrong and how to fix it, written for the LLM that wrote the code
 * @param line 1-based line of the offending code
 * @param column 1-based column (characters) of the offending code
 */
@RegisterForReflection
public record Violation(String rule, String message, int line, int column) {}
