package io.llmanalytics.analyst.openai;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.llmanalytics.analyst.LlmConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;

/**
 * The OpenAI-compatible endpoint and the two LangChain4j models that talk to it, built from {@link LlmConfig}: the
 * code-generation {@link ChatModel} ({@code OPENAI_CODE_GENERATION_TEMPERATURE}) and the interpretation {@link
 * StreamingChatModel} ({@code OPENAI_INTERPRETATION_TEMPERATURE}), both LangChain4j's own OpenAI models on a {@link
 * VertxHttpClient}. Their retries are off: {@link LlmGuard} owns retries, timeouts and the circuit breaker. The AI
 * services get them through {@link CodeGenerationModel} and {@link InterpretationModel}.
 *
 * <p>The models are built on first use and never fail without a key: requests then go to {@link #DEFAULT_BASE_URL}
 * without {@code Authorization} header (and the selector does not pick this analyst).
 */
@ApplicationScoped
public class OpenAiEndpoint {

    /** Where requests go when only a key is configured. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1/";

    private final LlmConfig config;
    private final Vertx vertx;
    private volatile HttpClient client;
    private volatile ChatModel codeGeneration;
    private volatile StreamingChatModel interpretation;

    public OpenAiEndpoint(LlmConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** Whether a key or a base URL is configured. */
    public boolean configured() {
        return config.apiKey().isPresent() || config.baseUrl().isPresent();
    }

    /** The base URL requests go to, ending with a slash. */
    public String baseUrl() {
        String url =
                config.baseUrl().map(String::trim).filter(s -> !s.isEmpty()).orElse(DEFAULT_BASE_URL);
        return url.endsWith("/") ? url : url + "/";
    }

    /** Host (and port when not the default) of the endpoint, for health and error messages; never the path or key. */
    public String endpointHost() {
        URI uri = URI.create(baseUrl());
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** The configured model name. */
    public String model() {
        return config.model();
    }

    /** The non-streaming model that writes code. */
    public ChatModel codeGenerationModel() {
        ChatModel model = codeGeneration;
        if (model == null) {
            synchronized (this) {
                model = codeGeneration;
                if (model == null) {
                    model = new OpenAiChatModel.OpenAiChatModelBuilder()
                            .httpClientBuilder(new VertxHttpClient.Builder(client()))
                            .baseUrl(baseUrl())
                            .apiKey(config.apiKey().orElse(null))
                            .modelName(config.model())
                            .temperature(config.codeGenerationTemperature())
                            .maxTokens(config.codeGenerationMaxTokens())
                            .maxRetries(0)
                            .timeout(safetyIdleTimeout())
                            .listeners(new ReportedModel())
                            .build();
                    codeGeneration = model;
                }
            }
        }
        return model;
    }

    /** The streaming model that explains results. */
    public StreamingChatModel interpretationModel() {
        StreamingChatModel model = interpretation;
        if (model == null) {
            synchronized (this) {
                model = interpretation;
                if (model == null) {
                    model = new OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder()
                            .httpClientBuilder(new VertxHttpClient.Builder(client()))
                            .baseUrl(baseUrl())
                            .apiKey(config.apiKey().orElse(null))
                            .modelName(config.model())
                            .temperature(config.interpretationTemperature())
                            .maxTokens(config.interpretationMaxTokens())
                            .timeout(safetyIdleTimeout())
                            .build();
                    interpretation = model;
                }
            }
        }
        return model;
    }

    @PreDestroy
    void close() {
        HttpClient current = client;
        if (current != null) {
            current.close();
        }
    }

    /** Longer than every timeout of {@link LlmGuard}: only a lost connection nobody waits for any more hits it. */
    private Duration safetyIdleTimeout() {
        LlmConfig.Timeouts t = config.timeout();
        long ms = Math.max(
                t.call().toMillis(),
                Math.max(t.firstToken().toMillis(), t.idle().toMillis()));
        return Duration.ofMillis(ms + 1000);
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                current = client;
                if (current == null) {
                    HttpClientOptions options = new HttpClientOptions()
                            .setConnectTimeout((int) Math.min(
                                    Integer.MAX_VALUE,
                                    config.timeout().connect().toMillis()))
                            .setKeepAlive(true)
                            .setVerifyHost(true)
                            .setDecompressionSupported(true);
                    current =
                            vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.maxConnections()));
                    client = current;
                }
            }
        }
        return current;
    }
}
