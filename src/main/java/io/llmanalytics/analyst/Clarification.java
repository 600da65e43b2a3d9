package io.llmanalytics.analyst;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A question the analyst asks back instead of guessing, when the user's question can be read in several ways that give
 * different answers: {@code question} says what is unclear, each of {@code options} is a complete question the user
 * can send as it is. Text only, bounded: {@link #of} refuses anything else.
 */
@RegisterForReflection
public record Clarification(String question, List<String> options) {

    /** Fewest options: one would be no choice. */
    public static final int MIN_OPTIONS = 2;
    /** Most options offered. */
    public static final int MAX_OPTIONS = 5;
    /** Longest clarifying question, in characters. */
    public static final int MAX_QUESTION = 300;
    /** Longest option, in characters (an option is sent back as a question). */
    public static final int MAX_OPTION = 300;

    public Clarification {
        options = List.copyOf(options);
    }

    /**
     * A well-formed clarification: a question of 1 to {@link #MAX_QUESTION} characters, and {@link #MIN_OPTIONS} to
     * {@link #MAX_OPTIONS} distinct options of 1 to {@link #MAX_OPTION} characters each (whitespace collapsed, control
     * characters removed); empty when it is not one.
     */
    public static Optional<Clarification> of(String question, List<String> options) {
        String q = clean(question);
        if (q == null || q.length() > MAX_QUESTION || options == null) {
            return Optional.empty();
        }
        List<String> kept = new ArrayList<>();
        for (String option : options) {
            String o = clean(option);
            if (o == null || o.length() > MAX_OPTION) {
                return Optional.empty();
            }
            if (kept.stream().noneMatch(o::equalsIgnoreCase)) {
                kept.add(o);
            }
        }
        if (kept.size() < MIN_OPTIONS || kept.size() > MAX_OPTIONS) {
            return Optional.empty();
        }
        return Optional.of(new Clarification(q, kept));
    }

    private static String clean(String text) {
        if (text == null) {
            return null;
        }
        String t = text.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
        return t.isEmpty() ? null : t;
    }
}
