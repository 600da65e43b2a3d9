package io.llmanalytics.evaluation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * Every verified question of a session asked again with the current analyst, model and prompt on the current data,
 * and how each result compares with the verified one.
 *
 * @param equal results with the verified fingerprint, or numerically equal within the tolerance
 * @param different results that differ
 * @param failed questions declined, or without working code
 * @param model the model that wrote the code (the last one reported), or null when none was reported
 * @param analyst the analyst asked ({@code openai} or {@code offline})
 */
@RegisterForReflection
public record Evaluation(
        String id,
        int total,
        int equal,
        int different,
        int failed,
        List<Item> items,
        String model,
        String analyst,
        Instant createdAt) {

    public Evaluation {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** How one verified question fared. */
    public enum Outcome {
        equal,
        different,
        failed
    }

    /**
     * One verified question asked again.
     *
     * @param index its position, from 0
     * @param interactionId the verified interaction
     * @param detail how it compared (or why it failed), in words
     * @param code the code written this time; null when none ran
     */
    @RegisterForReflection
    public record Item(int index, String interactionId, String question, Outcome outcome, String detail, String code) {}
}
