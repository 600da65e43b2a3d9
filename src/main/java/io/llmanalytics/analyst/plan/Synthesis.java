package io.llmanalytics.analyst.plan;

import io.llmanalytics.analyst.TokenUsage;
import java.util.List;

/**
 * The synthesis of a multi-step analysis as an analyst wrote it (before grounding).
 *
 * @param text the findings in plain words
 * @param findings one line per finding
 * @param nextQuestions two or three questions worth asking next
 */
public record Synthesis(
        String text, List<String> findings, List<String> nextQuestions, TokenUsage usage, String model) {

    public Synthesis {
        text = text == null ? "" : text.strip();
        findings = findings == null ? List.of() : List.copyOf(findings);
        nextQuestions = nextQuestions == null ? List.of() : List.copyOf(nextQuestions);
        usage = usage == null ? TokenUsage.NONE : usage;
    }
}
