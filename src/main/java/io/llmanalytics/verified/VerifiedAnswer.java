package io.llmanalytics.verified;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * An answer a person marked as right: its question, code, the datasets' versions it ran on and its result's
 * fingerprint.
 *
 * @param interactionId the interaction verified (its {@code conversation_id})
 * @param normalisedQuestion the question's words as {@link QuestionText#normalised} gives them
 * @param datasets every dataset of the session when it was verified: name and content hash
 * @param fingerprint {@link ResultFingerprint#of} the result computed when it was verified
 * @param values the result as JSON text, for numeric comparison; null when longer than {@code verified.max-values-chars}
 */
@RegisterForReflection
public record VerifiedAnswer(
        @JsonIgnore String sessionId,
        String interactionId,
        String question,
        @JsonIgnore String normalisedQuestion,
        String code,
        List<DatasetVersion> datasets,
        String fingerprint,
        @JsonIgnore String values,
        Instant verifiedAt) {

    public VerifiedAnswer {
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
    }

    /** One dataset's name and the SHA-256 of its canonical content. */
    @RegisterForReflection
    public record DatasetVersion(String name, String contentHash) {}
}
