package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.Clarification;
import java.util.List;

/** A question the offline analyst cannot answer without guessing, with the reasons in words for people. */
final class NotUnderstood extends RuntimeException {

    private final List<String> reasons;
    private final List<String> unrecognized;
    private final List<String> suggested;
    private final Clarification clarification;

    NotUnderstood(List<String> reasons) {
        this(reasons, List.of());
    }

    NotUnderstood(List<String> reasons, List<String> unrecognized) {
        this(reasons, unrecognized, List.of());
    }

    /** With {@code suggested}: the readings that can be answered instead, checked to parse, offered first. */
    NotUnderstood(List<String> reasons, List<String> unrecognized, List<String> suggested) {
        super(String.join("; ", reasons), null, false, false);
        this.reasons = List.copyOf(reasons);
        this.unrecognized = List.copyOf(unrecognized);
        this.suggested = List.copyOf(suggested);
        this.clarification = null;
    }

    /**
     * A question that can be read in several ways giving different answers: the analyst asks {@code clarification}
     * instead of declining (its options are the readings, each checked to parse; they are the suggestions too).
     */
    NotUnderstood(List<String> reasons, Clarification clarification) {
        super(String.join("; ", reasons), null, false, false);
        this.reasons = List.copyOf(reasons);
        this.unrecognized = List.of();
        this.suggested = clarification.options();
        this.clarification = clarification;
    }

    /** The question to ask back, when the question's readings are known; null otherwise. */
    Clarification clarification() {
        return clarification;
    }

    /** The questions to offer first (each parses into a plan), empty when the dataset's examples will do. */
    List<String> suggested() {
        return suggested;
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
