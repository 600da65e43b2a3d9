package io.llmanalytics.verified;

import io.llmanalytics.analyst.VerifiedExample;
import java.util.List;
import java.util.Optional;

/**
 * What the verified answers of a session offer a new question: the one to reuse (the same question on unchanged data)
 * and the close ones to show as examples.
 */
public record VerifiedLookup(Optional<VerifiedAnswer> same, List<VerifiedExample> examples) {

    public static final VerifiedLookup NONE = new VerifiedLookup(Optional.empty(), List.of());

    public VerifiedLookup {
        examples = examples == null ? List.of() : List.copyOf(examples);
    }
}
