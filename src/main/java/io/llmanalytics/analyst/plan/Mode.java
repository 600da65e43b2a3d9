package io.llmanalytics.analyst.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a question is analysed: one answer (today's loop), or a plan of steps in one of three patterns. */
public enum Mode {
    /** One code block, one answer: the default. */
    ANSWER,
    /** Exploratory analysis: shape, missing values, distributions, relationships, outliers, time coverage. */
    EXPLORE,
    /** The statistical pattern: descriptive statistics, then the right test, with p-value and effect size. */
    STATISTICS,
    /** The machine-learning pattern: target and features, a split, a baseline and one or two models. */
    MODEL;

    /** The name used in requests and events. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every mode's name, as a request may give it. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(Mode::label).toList();
    }

    /** The mode named {@code label} (case-insensitive, trimmed); {@code ANSWER} when null. */
    public static Optional<Mode> parse(String label) {
        if (label == null) {
            return Optional.of(ANSWER);
        }
        String wanted = label.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.label().equals(wanted)).findFirst();
    }
}
