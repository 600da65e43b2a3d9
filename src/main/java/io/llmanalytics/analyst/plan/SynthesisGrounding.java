package io.llmanalytics.analyst.plan;

import io.llmanalytics.analyst.Grounding;
import io.llmanalytics.analyst.GroundingChecker;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps a synthesis to what the steps computed: every sentence of its text and every finding whose numbers are not
 * all supported by the steps' results (each number by at least one step's result, as {@link GroundingChecker} reads
 * a result) is dropped, never stated. Next questions state no findings and are kept as written, without their
 * numbers' check (they are questions, asked only when the user clicks them).
 */
public final class SynthesisGrounding {

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\\d\"'(])");

    private SynthesisGrounding() {}

    /**
     * The grounded synthesis and what was dropped.
     *
     * @param text the text that is kept
     * @param findings the findings that are kept
     * @param grounding {@code ok} when nothing had to be dropped; else the unsupported numbers as written
     */
    public record Grounded(String text, List<String> findings, Grounding grounding) {}

    public static Grounded ground(Synthesis synthesis, List<StepOutcome> steps, String question) {
        Set<String> dropped = new LinkedHashSet<>();
        List<String> kept = new ArrayList<>();
        for (String sentence : sentences(synthesis.text())) {
            if (supported(sentence, steps, question, dropped)) {
                kept.add(sentence);
            }
        }
        List<String> findings = new ArrayList<>();
        for (String finding : synthesis.findings()) {
            if (finding != null && !finding.isBlank() && supported(finding.strip(), steps, question, dropped)) {
                findings.add(finding.strip());
            }
        }
        Grounding grounding = dropped.isEmpty() ? Grounding.OK : new Grounding(false, List.copyOf(dropped));
        return new Grounded(String.join(" ", kept), List.copyOf(findings), grounding);
    }

    /** The sentences of a text (paragraph breaks also end one). */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String paragraph : text.split("\\n\\s*\\n|\\n(?=\\s*[-*•])")) {
            for (String s : SENTENCE_END.split(paragraph.strip())) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }

    /**
     * Whether every number of {@code text} is supported by some step's result (numbers of one text may come from
     * different steps); the unsupported ones are added to {@code dropped}.
     */
    private static boolean supported(String text, List<StepOutcome> steps, String question, Set<String> dropped) {
        Set<String> unsupported = null;
        for (StepOutcome step : steps) {
            if (!step.succeeded()) {
                continue;
            }
            Grounding g = GroundingChecker.check(text, step.result(), step.summary(), question);
            if (unsupported == null) {
                unsupported = new LinkedHashSet<>(g.ungrounded());
            } else {
                unsupported.retainAll(g.ungrounded());
            }
            if (unsupported.isEmpty()) {
                return true;
            }
        }
        if (unsupported == null) {
            // no step has a result: only a text without numbers may stand
            Grounding g = GroundingChecker.check(text, null, null, question);
            unsupported = new LinkedHashSet<>(g.ungrounded());
        }
        dropped.addAll(unsupported);
        return unsupported.isEmpty();
    }
}
