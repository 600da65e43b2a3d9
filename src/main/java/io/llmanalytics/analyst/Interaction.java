package io.llmanalytics.analyst;

/**
 * A previous question of the conversation, given as context to a follow-up.
 *
 * @param question what was asked
 * @param code the code that answered it (the prompt keeps its first {@code llm.prompt.max-context-code-chars})
 * @param resultSummary a short description of its result (left out in privacy mode: it holds data values); may be null
 */
public record Interaction(String question, String code, String resultSummary) {}
