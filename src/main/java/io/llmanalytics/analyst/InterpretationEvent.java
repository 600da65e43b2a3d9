package io.llmanalytics.analyst;

import java.util.List;

/** What {@link GroundedInterpreter} streams: tokens, possibly a retraction, and always one final answer. */
public sealed interface InterpretationEvent {

    /** The next piece of the interpretation being written; show it as it comes. */
    record Delta(String text) implements InterpretationEvent {}

    /**
     * The text streamed so far is withdrawn: it stated numbers the result does not support ({@code ungrounded}, and a
     * corrected text follows) or the stream failed ({@code ungrounded} empty, and the fallback follows as {@link
     * Final}).
     */
    record Retracted(List<String> ungrounded) implements InterpretationEvent {
        public Retracted {
            ungrounded = List.copyOf(ungrounded);
        }
    }

    /**
     * The interpretation to keep.
     *
     * @param text the final text (the model's, or the fallback description)
     * @param grounding the check of the model's last text ({@code ok: false} with the numbers when that is why the
     *        fallback replaced it); for a fallback after a failure, the fallback's own check
     * @param fallback whether {@code text} is the fallback description
     * @param fallbackReason why the fallback was used (a problem detail, or a sentence about ungrounded numbers); null
     *        otherwise
     * @param usage tokens of all rounds
     * @param model the model that wrote the last text, or null
     * @param rounds model calls made (0 to 2)
     */
    record Final(
            String text,
            Grounding grounding,
            boolean fallback,
            String fallbackReason,
            TokenUsage usage,
            String model,
            int rounds)
            implements InterpretationEvent {}
}
