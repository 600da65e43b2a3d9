package io.llmanalytics.analyst;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the analyst that answers, from {@code ANALYST}: {@code openai}, {@code offline}, or {@code auto} (the
 * configured analyst of highest {@link Analyst#priority()}: the OpenAI analyst when {@code OPENAI_API_KEY} or {@code
 * OPENAI_BASE_URL} is set, else the offline analyst). Analysts are the CDI beans implementing {@link Analyst}, found by
 * {@link Analyst#name()}; the selector knows no adapter class.
 */
@ApplicationScoped
public class AnalystSelector {

    public static final String OPENAI = "openai";
    public static final String OFFLINE = "offline";

    static final String HOW_TO_CONFIGURE = "Set OPENAI_API_KEY (and optionally OPENAI_MODEL, default gpt-4o-mini) to"
            + " use OpenAI, or OPENAI_BASE_URL to use any OpenAI-compatible server (for example"
            + " http://localhost:11434/v1 for Ollama), then restart the service.";

    private final LlmConfig config;
    private final List<Analyst> analysts;

    public AnalystSelector(LlmConfig config, @Any Instance<Analyst> analysts) {
        this.config = config;
        this.analysts = analysts.stream()
                .sorted(Comparator.comparingInt(Analyst::priority).reversed())
                .toList();
    }

    /** The name of the analyst the configuration selects: {@code openai} or {@code offline}. */
    public String mode() {
        return switch (config.analyst()) {
            case OPENAI -> OPENAI;
            case OFFLINE -> OFFLINE;
            case AUTO ->
                analysts.stream()
                        .filter(Analyst::configured)
                        .findFirst()
                        .map(Analyst::name)
                        .orElse(OFFLINE);
        };
    }

    /**
     * The analyst that answers.
     *
     * @throws ProblemException {@code LLM_NOT_CONFIGURED} when the selected analyst cannot answer: the OpenAI analyst
     *         without key or base URL, or the offline analyst when this build has none
     */
    public Analyst active() {
        String mode = mode();
        Optional<Analyst> selected = byName(mode);
        if (selected.isPresent() && !selected.get().configured()) {
            throw new ProblemException(
                    ProblemType.LLM_NOT_CONFIGURED,
                    "ANALYST=" + mode + " but no language model endpoint is configured. " + HOW_TO_CONFIGURE);
        }
        return selected.orElseThrow(() -> new ProblemException(
                ProblemType.LLM_NOT_CONFIGURED,
                OFFLINE.equals(mode)
                        ? "No language model is configured, and the built-in offline analyst is not available in"
                                + " this version. " + HOW_TO_CONFIGURE
                        : "The analyst '" + mode + "' is not available. " + HOW_TO_CONFIGURE));
    }

    /** The analyst with this name, if the build has one. */
    public Optional<Analyst> byName(String name) {
        return analysts.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
