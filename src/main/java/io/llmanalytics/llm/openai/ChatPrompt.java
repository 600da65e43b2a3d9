package io.llmanalytics.llm.openai;

/** The two messages of one call: the instructions and the task with its data. */
public record ChatPrompt(String system, String user) {
}
