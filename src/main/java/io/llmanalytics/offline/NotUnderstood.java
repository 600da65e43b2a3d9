package io.llmanalytics.offline;

import java.util.List;

/** A question the offline analyst cannot answer without guessing, with the reasons in words for people. */
final class NotUnderstood extends RuntimeException {

    private final List<String> reasons;

    NotUnderstood(List<String> reasons) {
        super(String.join("; ", reasons), null, false, false);
        this.reasons = List.copyOf(reasons);
    }

    NotUnderstood(String reason) {
        this(List.of(reason));
    }

    List<String> reasons() {
        return reasons;
    }
}
