package io.llmanalytics.analyst;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The code of one attempt.
 *
 * @param code the extracted Python code (fences and prose removed); empty when the answer held no code
 * @param rawText the model's whole answer, for history and debugging (never logged at INFO)
 * @param usage tokens the call consumed
 * @param model the model that answered (as the endpoint reports it), or the analyst's name
 * @param analyst the analyst that answered ({@link Analyst#name()})
 * @param reading what the code computes, in plain words (the offline analyst's executed reading, or the model's
 *     one-line statement when it gives one); {@code null} when unknown
 * @param clarification the question the analyst asks back instead of writing code (the question can be read in
 *     several ways that give different answers); {@code null} when it wrote code
 */
@RegisterForReflection
public record Generation(
        String code,
        String rawText,
        TokenUsage usage,
        String model,
        String analyst,
        String reading,
        Clarification clarification) {

    /** A generation of code with a stated reading. */
    public Generation(String code, String rawText, TokenUsage usage, String model, String analyst, String reading) {
        this(code, rawText, usage, model, analyst, reading, null);
    }

    /** A generation without a stated reading. */
    public Generation(String code, String rawText, TokenUsage usage, String model, String analyst) {
        this(code, rawText, usage, model, analyst, null, null);
    }

    /** A question asked back instead of code. */
    public static Generation clarify(
            Clarification clarification, String rawText, TokenUsage usage, String model, String analyst) {
        return new Generation("", rawText, usage, model, analyst, null, clarification);
    }

    public boolean hasCode() {
        return code != null && !code.isBlank();
    }
}
