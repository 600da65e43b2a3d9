package io.llmanalytics.analyst;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The language-model stage: which analyst answers, how the OpenAI-compatible endpoint is reached, and how hard the
 * service tries before giving up. The environment names are mapped in {@code application.properties}.
 */
@ConfigMapping(prefix = "llm")
public interface LlmConfig {

    /** API key of the OpenAI-compatible endpoint ({@code OPENAI_API_KEY}); absent for keyless local servers. */
    Optional<String> apiKey();

    /** Base URL of the OpenAI-compatible API, e.g. {@code https://api.openai.com/v1} ({@code OPENAI_BASE_URL}). */
    Optional<String> baseUrl();

    /** Model name sent with every request ({@code OPENAI_MODEL}). */
    @WithDefault("gpt-4o-mini")
    String model();

    /** Sampling temperature of code generation ({@code OPENAI_CODE_GENERATION_TEMPERATURE}). */
    @WithDefault("0.1")
    double codeGenerationTemperature();

    /** Sampling temperature of interpretation ({@code OPENAI_INTERPRETATION_TEMPERATURE}). */
    @WithDefault("0.3")
    double interpretationTemperature();

    /** Which analyst answers ({@code ANALYST}): {@code openai}, {@code offline}, or {@code auto}. */
    @WithDefault("auto")
    AnalystMode analyst();

    /** Attempts (generation, validation, execution) per question before the analysis fails ({@code MAX_ATTEMPTS}). */
    @WithDefault("3")
    int maxAttempts();

    /** Whether questions default to privacy mode: no cell value reaches the LLM ({@code PRIVACY_MODE}). */
    @WithDefault("false")
    boolean privacyMode();

    /** Previous interactions given to the LLM as context ({@code CONTEXT_LOOKBACK}). */
    @WithDefault("3")
    int contextLookback();

    /** Upper bound on the answer of code generation, in tokens. */
    @WithDefault("1500")
    int codeGenerationMaxTokens();

    /** Upper bound on the answer of interpretation, in tokens. */
    @WithDefault("600")
    int interpretationMaxTokens();

    /** Simultaneous HTTP connections to the endpoint (requests beyond wait for a free one). */
    @WithDefault("256")
    int maxConnections();

    /** Timeouts of every call to the endpoint. */
    Timeouts timeout();

    /** Retries on 429 and 5xx answers and on connection failures. */
    Retry retry();

    /** The circuit breaker in front of the endpoint. */
    CircuitBreaker circuitBreaker();

    /** What the prompts contain. */
    Prompt prompt();

    interface Timeouts {
        /** Establishing a connection to the endpoint. */
        @WithDefault("5s")
        Duration connect();

        /** A non-streamed call (code generation), from request to complete answer. */
        @WithDefault("60s")
        Duration call();

        /** A streamed call (interpretation): from request to the first token. */
        @WithDefault("30s")
        Duration firstToken();

        /** A streamed call: longest silence between two tokens. */
        @WithDefault("15s")
        Duration idle();

        /** A streamed call: from request to the last token. */
        @WithDefault("120s")
        Duration stream();
    }

    interface Retry {
        /** Retries after the first attempt of one call (0 disables retrying). */
        @WithDefault("2")
        int maxRetries();

        /** Wait before the first retry; doubled (with jitter) for each further retry. */
        @WithDefault("500ms")
        Duration baseBackoff();

        /** Longest computed wait between two attempts. */
        @WithDefault("8s")
        Duration maxBackoff();

        /**
         * Longest {@code Retry-After} the service waits for; a longer one fails the call at once with that
         * {@code Retry-After} passed on to the client.
         */
        @WithDefault("20s")
        Duration maxRetryAfter();
    }

    interface CircuitBreaker {
        /** Calls in the rolling window the failure ratio is computed over. */
        @WithDefault("10")
        int requestVolumeThreshold();

        /** Ratio of failed calls in the window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before letting one trial call through. */
        @WithDefault("30s")
        Duration delay();
    }

    interface Prompt {
        /** Sample rows of each dataset shown in the code-generation prompt (never in privacy mode). */
        @WithDefault("5")
        int sampleRows();

        /** Longest cell value or column name quoted in a prompt; longer ones are cut and marked. */
        @WithDefault("80")
        int maxValueLength();

        /** Longest rendering of a result given to interpretation, in characters. */
        @WithDefault("4000")
        int maxResultChars();

        /** Longest code of a previous interaction given as context. */
        @WithDefault("200")
        int maxContextCodeChars();

        /** Longest validator or execution feedback given to a self-healing attempt. */
        @WithDefault("2000")
        int maxFeedbackChars();

        /**
         * Token budget of the schema part of the code-generation prompt (the dataset blocks and join keys), estimated
         * by {@code SchemaBudget.tokens}; wider schemas are listed compactly to fit ({@code PROMPT_SCHEMA_TOKENS}).
         */
        @WithDefault("4000")
        int schemaTokens();
    }

    /** Which analyst answers. */
    enum AnalystMode {
        /** The OpenAI analyst when a key or base URL is configured, else the offline analyst. */
        AUTO,
        /** Always the OpenAI-compatible endpoint. */
        OPENAI,
        /** Always the built-in rule-based analyst. */
        OFFLINE
    }
}
