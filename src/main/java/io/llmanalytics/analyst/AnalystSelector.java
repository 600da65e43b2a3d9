package io.llmanalytics.analyst;

import io.llmanalytics.analyst.openai.OpenAiEndpoint;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Optional;

/**
 * Picks the analyst that answers, from {@code ANALYST}: {@code openai}, {@code offline}, or {@code auto} (the OpenAI
 * analyst when {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set, else the offline analyst). Analysts are the
 * CDI beans implementing {@link Analyst}, found by {@link Analyst#name()}: adding the offline analyst bean (name
 * {@code offline}) is all it takes for it to be selected.
 */
@ApplicationScoped
public class AnalystSelector {

    public static final String OPENAI = "openai";
    public static final String OFFLINE = "offline";

    static final String HOW_TO_CONFIGURE = "Set OPENAI_API_KEY (and optionally OPENAI_MODEL, default gpt-4o-mini) to"
            + " use OpenAI, or OPENAI_BASE_URL to use any OpenAI-compatible server (for example"
            + " http://localhost:11434/v1 for Ollama), then restart the service.";

    private final LlmConfig config;
    private final OpenAiEndpoint endpoint;
    private final List<Analyst> analysts;

    public AnalystSelector(LlmConfig config, OpenAiEndpoint endpoint, @Any Instance<Analyst> analysts) {
        this.config = config;
        this.endpoint = endpoint;
        this.analysts = analysts.stream().toList();
    }

    /** The name of the analyst the configuration selects: {@code openai} or {@code offline}. */
    public String mode() {
        return switch (config.analyst()) {
            case OPENAI -> OPENAI;
            case OFFLINE -> OFFLINE;
            case AUTO -> endpoint.configured() ? OPENAI : OFFLINE;
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
        if (OPENAI.equals(mode) && !endpoint.configured()) {
            throw new ProblemException(
                    ProblemType.LLM_NOT_CONFIGURED,
                    "ANALYST=openai but no language model endpoint is configured. " + HOW_TO_CONFIGURE);
        }
        return byName(mode)
                .orElseThrow(() -> new ProblemException(
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
