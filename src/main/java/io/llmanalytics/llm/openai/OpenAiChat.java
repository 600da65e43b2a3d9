package io.llmanalytics.llm.openai;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.llmanalytics.llm.LlmConfig;
import io.llmanalytics.llm.TokenUsage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP call to an OpenAI-compatible {@code POST {base}/chat/completions}, on the Vert.x HTTP client: never blocks,
 * and cancelling the returned {@link Uni} or {@link Multi} resets the HTTP request at any stage (before the
 * connection, waiting for headers, mid-stream). No retry, timeout or breaker here: {@link LlmGuard} adds them.
 *
 * <p>Why not quarkus-langchain4j's AI services or model beans (measured and read in 1.10.0): a non-streaming AI
 * service call is a blocking {@code ChatModel} call on a worker thread (AI services cannot return {@code Uni}), and a
 * streaming one gets a no-op cancel handle ({@code QuarkusOpenAiClient#onRawPartialResponse} passes
 * {@code NoopStreamingHandle}), so neither can be cancelled when the client goes away; its {@code HttpException} keeps
 * status and body but drops {@code Retry-After}; and its REST client's SSE reader drops a chunk that is not JSON with
 * only an "uncaught exception" log, and closes a cancelled stream only once response headers arrive. Here every HTTP
 * error becomes an {@link UpstreamHttpException} with its {@code Retry-After}, a malformed answer or chunk a {@link
 * MalformedAnswerException}, and a stream that ends without a finish reason is an error, not a short answer.
 */
@ApplicationScoped
public class OpenAiChat {

    /** Where requests go when only a key is configured. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 2000;

    private final LlmConfig config;
    private final Vertx vertx;
    private volatile HttpClient client;

    public OpenAiChat(LlmConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** Whether a key or a base URL is configured. */
    public boolean configured() {
        return config.apiKey().isPresent() || config.baseUrl().isPresent();
    }

    /** The base URL requests go to, ending with a slash. */
    public String baseUrl() {
        String url = config.baseUrl().map(String::trim).filter(s -> !s.isEmpty()).orElse(DEFAULT_BASE_URL);
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

    /** One non-streamed completion. */
    public Uni<ChatReply> complete(ChatPrompt prompt, double temperature, int maxTokens) {
        Buffer body = body(prompt, temperature, maxTokens, false);
        return Uni.createFrom().emitter(emitter -> {
            Exchange exchange = new Exchange(emitter::fail);
            emitter.onTermination(exchange::terminate);
            send(body, "application/json", exchange, response -> response.body().onComplete(ar -> {
                if (ar.failed()) {
                    exchange.fail(ar.cause());
                    return;
                }
                exchange.answered();
                try {
                    emitter.complete(reply(JSON.readTree(ar.result().getBytes())));
                } catch (IOException e) {
                    emitter.fail(notJson(e));
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            }));
        });
    }

    /** One streamed completion: {@link ChatChunk.Token}s, then one {@link ChatChunk.End}. */
    public Multi<ChatChunk> stream(ChatPrompt prompt, double temperature, int maxTokens) {
        Buffer body = body(prompt, temperature, maxTokens, true);
        return Multi.createFrom().emitter(emitter -> {
            Exchange exchange = new Exchange(emitter::fail);
            emitter.onTermination(exchange::terminate);
            send(body, "text/event-stream", exchange, response -> {
                String type = response.getHeader("Content-Type");
                if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                    wholeAnswer(response, emitter, exchange);
                    return;
                }
                StreamState state = new StreamState(emitter, exchange);
                SseParser parser = new SseParser(state::onEvent);
                response.handler(buffer -> {
                    if (exchange.open()) {
                        parser.feed(buffer.getBytes());
                    }
                });
                response.exceptionHandler(exchange::fail);
                response.endHandler(v -> {
                    if (exchange.open()) {
                        parser.finish();
                        state.onEnd();
                    }
                });
            });
        });
    }

    /** A server that ignored {@code stream: true} and answered one JSON completion: delivered as one token. */
    private static void wholeAnswer(HttpClientResponse response, MultiEmitter<? super ChatChunk> emitter,
            Exchange exchange) {
        response.body().onComplete(ar -> {
            if (ar.failed()) {
                exchange.fail(ar.cause());
                return;
            }
            ChatReply reply;
            try {
                reply = reply(JSON.readTree(ar.result().getBytes()));
            } catch (IOException e) {
                exchange.fail(notJson(e));
                return;
            } catch (RuntimeException e) {
                exchange.fail(e);
                return;
            }
            exchange.answered();
            if (!reply.text().isEmpty()) {
                emitter.emit(new ChatChunk.Token(reply.text()));
            }
            emitter.emit(new ChatChunk.End("stop", reply.usage(), reply.model()));
            emitter.complete();
        });
    }

    private static MalformedAnswerException notJson(IOException e) {
        String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        return new MalformedAnswerException("the answer is not JSON: " + reason);
    }

    @PreDestroy
    void close() {
        HttpClient current = client;
        if (current != null) {
            current.close();
        }
    }

    private void send(Buffer body, String accept, Exchange exchange, Consumer<HttpClientResponse> onSuccess) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(baseUrl() + "chat/completions")
                .setIdleTimeout(safetyIdleTimeoutMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", accept);
        config.apiKey().ifPresent(key -> options.putHeader("Authorization", "Bearer " + key));
        Future<HttpClientRequest> requestFuture;
        try {
            requestFuture = client().request(options);
        } catch (RuntimeException e) {
            exchange.fail(e);
            return;
        }
        requestFuture.onFailure(exchange::fail).onSuccess(request -> {
            if (!exchange.started(request)) {
                return;
            }
            request.response().onFailure(exchange::fail).onSuccess(response -> {
                if (response.statusCode() >= 400) {
                    MultiMap headers = response.headers();
                    response.body().onComplete(ar -> exchange.fail(new UpstreamHttpException(response.statusCode(),
                            RetryAfter.parse(headers.get("Retry-After"), headers.get("retry-after-ms")),
                            ar.succeeded() ? snippet(ar.result()) : "")));
                } else {
                    onSuccess.accept(response);
                }
            });
            request.end(body).onFailure(exchange::fail);
        });
    }

    private long safetyIdleTimeoutMillis() {
        LlmConfig.Timeouts t = config.timeout();
        return Math.max(t.call().toMillis(), Math.max(t.firstToken().toMillis(), t.idle().toMillis())) + 1000;
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                current = client;
                if (current == null) {
                    HttpClientOptions options = new HttpClientOptions()
                            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().connect().toMillis()))
                            .setKeepAlive(true)
                            .setVerifyHost(true)
                            .setDecompressionSupported(true);
                    current = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.maxConnections()));
                    client = current;
                }
            }
        }
        return current;
    }

    private Buffer body(ChatPrompt prompt, double temperature, int maxTokens, boolean stream) {
        ObjectNode request = JSON.createObjectNode();
        request.put("model", config.model());
        var messages = request.putArray("messages");
        messages.addObject().put("role", "system").put("content", prompt.system());
        messages.addObject().put("role", "user").put("content", prompt.user());
        request.put("temperature", temperature);
        request.put("max_tokens", maxTokens);
        if (stream) {
            request.put("stream", true);
            request.putObject("stream_options").put("include_usage", true);
        }
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a chat request", e);
        }
    }

    static ChatReply reply(JsonNode response) {
        checkNotError(response);
        JsonNode content = response.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new MalformedAnswerException("the answer holds no message content");
        }
        return new ChatReply(content.asText(), usage(response.get("usage")), text(response, "model"));
    }

    static TokenUsage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return TokenUsage.NONE;
        }
        return TokenUsage.of(integer(usage, "prompt_tokens"), integer(usage, "completion_tokens"),
                integer(usage, "total_tokens"));
    }

    private static void checkNotError(JsonNode node) {
        JsonNode error = node.get("error");
        if (error != null && !error.isNull()) {
            String message = error.isObject() ? error.path("message").asText("") : error.asText("");
            throw new UpstreamHttpException(200, null, message);
        }
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToInt() ? value.asInt() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String snippet(Buffer body) {
        byte[] bytes = body.getBytes();
        int n = Math.min(bytes.length, MAX_ERROR_BODY);
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * One HTTP exchange seen from its subscriber: the request to reset when the subscriber goes away before the answer
     * is complete, and failures that only count while the subscriber is there.
     */
    private static final class Exchange {
        private final Consumer<Throwable> onFailure;
        private final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        private final AtomicBoolean answered = new AtomicBoolean();
        private final AtomicBoolean terminated = new AtomicBoolean();

        Exchange(Consumer<Throwable> onFailure) {
            this.onFailure = onFailure;
        }

        /** Records the request; false (and the request reset) when the subscriber already left. */
        boolean started(HttpClientRequest sent) {
            request.set(sent);
            if (terminated.get()) {
                sent.reset();
                return false;
            }
            return true;
        }

        /** The whole answer arrived: the connection can be kept. */
        void answered() {
            answered.set(true);
        }

        boolean open() {
            return !terminated.get();
        }

        void fail(Throwable failure) {
            if (!terminated.get()) {
                onFailure.accept(failure);
            }
        }

        /** The subscriber is gone (completed, failed or cancelled): abort the exchange unless it is complete. */
        void terminate() {
            terminated.set(true);
            HttpClientRequest sent = request.get();
            if (sent != null && !answered.get()) {
                sent.reset();
            }
        }
    }

    /** Turns SSE events into chunks; the state of one stream. */
    private static final class StreamState {
        private final MultiEmitter<? super ChatChunk> emitter;
        private final Exchange exchange;
        private String finishReason;
        private TokenUsage usage;
        private String model;
        private boolean done;

        StreamState(MultiEmitter<? super ChatChunk> emitter, Exchange exchange) {
            this.emitter = emitter;
            this.exchange = exchange;
        }

        void onEvent(String event, String data) {
            if (done || emitter.isCancelled()) {
                return;
            }
            if ("[DONE]".equals(data.trim())) {
                finish();
                return;
            }
            JsonNode chunk;
            try {
                chunk = JSON.readTree(data);
            } catch (JsonProcessingException e) {
                fail(new MalformedAnswerException("a streamed chunk is not JSON: " + e.getOriginalMessage()));
                return;
            }
            try {
                checkNotError(chunk);
            } catch (UpstreamHttpException e) {
                fail(e);
                return;
            }
            if (model == null) {
                model = text(chunk, "model");
            }
            if (chunk.hasNonNull("usage")) {
                usage = usage(chunk.get("usage"));
            }
            JsonNode choice = chunk.path("choices").path(0);
            String reason = text(choice, "finish_reason");
            if (reason != null) {
                finishReason = reason;
            }
            JsonNode content = choice.path("delta").path("content");
            if (content.isTextual() && !content.asText().isEmpty()) {
                emitter.emit(new ChatChunk.Token(content.asText()));
            }
        }

        void onEnd() {
            if (!done) {
                finish();
            }
        }

        private void finish() {
            done = true;
            exchange.answered();
            if (finishReason == null) {
                emitter.fail(new MalformedAnswerException("the stream ended before the answer was complete"));
                return;
            }
            emitter.emit(new ChatChunk.End(finishReason, usage == null ? TokenUsage.NONE : usage, model));
            emitter.complete();
        }

        private void fail(Throwable failure) {
            done = true;
            emitter.fail(failure);
        }
    }
}
