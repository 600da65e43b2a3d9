package io.llmanalytics.analyst.offline;

import java.util.List;

/** A question the offline analyst cannot answer without guessing, with the reasons in words for people. */
final class NotUnderstood extends RuntimeException {

    private final List<String> reasons;
    private final List<String> unrecognized;

    NotUnderstood(List<String> reasons) {
        this(reasons, List.of());
    }

    NotUnderstood(List<String> reasons, List<String> unrecognized) {
        super(String.join("; ", reasons), null, false, false);
        this.reasons = List.copyOf(reasons);
        this.unrecognized = List.copyOf(unrecognized);
    }

    /** The words of the question that matched nothing (may be empty when the words were known but did not fit). */
    List<String> unrecognized() {
        return unrecognized;
    }

    NotUnderstood(String reason) {
        this(List.of(reason));
    }

    List<String> reasons() {
        return reasons;
    }
}
