package io.llmanalytics.llm.openai;

import io.llmanalytics.llm.TokenUsage;

/** The text of a completed call, with what it cost and which model wrote it. */
public record ChatReply(String text, TokenUsage usage, String model) {}
