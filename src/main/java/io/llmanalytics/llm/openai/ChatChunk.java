package io.llmanalytics.llm.openai;

import io.llmanalytics.llm.TokenUsage;

/** One element of a streamed completion, as {@link OpenAiChat#stream} delivers it. */
public sealed interface ChatChunk {

    /** Text the model added. */
    record Token(String text) implements ChatChunk {
    }

    /** The last element: why the model stopped, the usage when the endpoint reported it, the model name. */
    record End(String finishReason, TokenUsage usage, String model) implements ChatChunk {
    }
}
