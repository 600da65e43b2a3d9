package io.llmanalytics.analyst.openai;

import io.llmanalytics.analyst.TokenUsage;

/** The text of a completed call, with what it cost and which model wrote it. */
public record ChatReply(String text, TokenUsage usage, String model) {}
