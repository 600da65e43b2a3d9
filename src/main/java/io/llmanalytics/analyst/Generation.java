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
 */
@RegisterForReflection
public record Generation(String code, String rawText, TokenUsage usage, String model, String analyst, String reading) {

    /** A generation without a stated reading. */
    public Generation(String code, String rawText, TokenUsage usage, String model, String analyst) {
        this(code, rawText, usage, model, analyst, null);
    }

    public boolean hasCode() {
        return code != null && !code.isBlank();
    }
}
