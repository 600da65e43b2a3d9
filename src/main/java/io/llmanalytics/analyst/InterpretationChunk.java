package io.llmanalytics.analyst;

/** One element of a streamed interpretation: tokens, then one completion. */
public sealed interface InterpretationChunk {

    /** The next piece of text, in order. */
    record Delta(String text) implements InterpretationChunk {}

    /** The end of the stream: the whole text, what it cost and who wrote it. */
    record Completed(String text, TokenUsage usage, String model) implements InterpretationChunk {}
}
