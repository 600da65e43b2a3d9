package io.llmanalytics.analyst.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * LangChain4j's HTTP client SPI on the Vert.x HTTP client, used by the OpenAI chat models (see {@link
 * OpenAiEndpoint}). Nothing here retries or times out a call: {@link LlmGuard} does, and cancels.
 *
 * <ul>
 * <li>Streams ({@link #execute(HttpRequest, ServerSentEventParser, ServerSentEventListener)}) never block: the
 * Server-Sent Events are framed here as the bytes arrive (LangChain4j's {@link ServerSentEventParser} reads a blocking
 * {@code InputStream}, so it is not used), and the listener is called on the Vert.x event loop. The parsing handle
 * given to the listener resets the request when cancelled, and so does cancelling the {@link CallExchanges} the
 * stream was started under.</li>
 * <li>Single answers ({@link #execute(HttpRequest)}) wait for the Vert.x future on the caller's thread, which must not
 * be an event loop (the analyst uses a virtual thread); interrupting the waiting thread resets the request.</li>
 * <li>An HTTP status of 400 or more becomes an {@link UpstreamHttpException} with status, start of the body and
 * {@code Retry-After}; so does an OpenAI error payload in a 200 answer or stream ({@code {"error": ...}} or an
 * {@code error} event). A server that answers a streamed request with one JSON completion gets it delivered as one
 * chunk.</li>
 * </ul>
 */
final class VertxHttpClient implements dev.langchain4j.http.client.HttpClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 2000;

    private final HttpClient client;
    private final long idleTimeoutMillis;

    VertxHttpClient(HttpClient client, Duration idleTimeout) {
        this.client = client;
        this.idleTimeoutMillis = idleTimeout == null ? 0 : idleTimeout.toMillis();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("a blocking call to the language model on the event loop");
        }
        CompletableFuture<SuccessfulHttpResponse> answer = new CompletableFuture<>();
        Exchange exchange = new Exchange(
                answer::completeExceptionally,
                () -> answer.completeExceptionally(
                        new CancellationException("the call to the language model was cancelled")));
        send(
                request,
                "application/json",
                exchange,
                response -> response.body().onComplete(ar -> {
                    if (ar.failed()) {
                        exchange.fail(ar.cause());
                        return;
                    }
                    String body = ar.result().toString(StandardCharsets.UTF_8);
                    UpstreamHttpException error = errorPayload(null, body);
                    exchange.answered();
                    if (error != null) {
                        exchange.fail(error);
                        return;
                    }
                    exchange.complete();
                    answer.complete(response(response, body));
                }));
        try {
            return answer.get();
        } catch (InterruptedException e) {
            exchange.terminate();
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("the call to the language model was cancelled");
            cancelled.initCause(e);
            throw cancelled;
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser ignored, ServerSentEventListener listener) {
        Exchange exchange = new Exchange(failure -> listener.onError(failure), () -> {});
        ServerSentEventContext context = new ServerSentEventContext(exchange);
        send(request, "text/event-stream", exchange, response -> {
            if (!deliver(exchange, () -> listener.onOpen(response(response, null)))) {
                return;
            }
            String type = response.getHeader("Content-Type");
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                wholeAnswer(response, exchange, listener, context);
                return;
            }
            SseParser parser = new SseParser((event, data) -> event(exchange, listener, context, event, data));
            response.handler(buffer -> {
                if (exchange.open()) {
                    parser.feed(buffer.getBytes());
                }
            });
            response.exceptionHandler(exchange::fail);
            response.endHandler(v -> {
                if (exchange.open()) {
                    parser.finish();
                }
                end(exchange, listener);
            });
        });
    }

    /** A server that ignored {@code stream: true} and answered one JSON completion: one chunk with it as delta. */
    private static void wholeAnswer(
            HttpClientResponse response,
            Exchange exchange,
            ServerSentEventListener listener,
            ServerSentEventContext context) {
        response.body().onComplete(ar -> {
            if (ar.failed()) {
                exchange.fail(ar.cause());
                return;
            }
            String body = ar.result().toString(StandardCharsets.UTF_8);
            event(exchange, listener, context, null, asChunk(body));
            end(exchange, listener);
        });
    }

    private static void event(
            Exchange exchange,
            ServerSentEventListener listener,
            ServerSentEventContext context,
            String event,
            String data) {
        if (!exchange.open()) {
            return;
        }
        UpstreamHttpException error = errorPayload(event, data);
        if (error != null) {
            exchange.fail(error);
            return;
        }
        deliver(exchange, () -> listener.onEvent(new ServerSentEvent(event, data), context));
    }

    private static void end(Exchange exchange, ServerSentEventListener listener) {
        if (exchange.open()) {
            exchange.complete();
            try {
                listener.onClose();
            } catch (RuntimeException e) {
                listener.onError(e);
            }
        }
    }

    /** Calls the listener; a listener that throws ends the exchange with that failure. */
    private static boolean deliver(Exchange exchange, Runnable call) {
        try {
            call.run();
            return exchange.open();
        } catch (RuntimeException e) {
            exchange.fail(e);
            return false;
        }
    }

    private void send(HttpRequest request, String accept, Exchange exchange, Consumer<HttpClientResponse> onSuccess) {
        CallExchanges.register(exchange);
        if (!exchange.open()) {
            return; // cancelled before anything was sent
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method().name()))
                .setAbsoluteURI(request.url())
                .setIdleTimeout(idleTimeoutMillis);
        request.headers().forEach((name, values) -> values.forEach(value -> options.addHeader(name, value)));
        if (!options.getHeaders().contains("Accept")) {
            options.putHeader("Accept", accept);
        }
        Future<HttpClientRequest> requestFuture;
        try {
            requestFuture = client.request(options);
        } catch (RuntimeException e) {
            exchange.fail(e);
            return;
        }
        requestFuture.onFailure(exchange::fail).onSuccess(sent -> {
            if (!exchange.started(sent)) {
                return;
            }
            sent.exceptionHandler(exchange::fail); // also the reset we cause, dropped once the exchange ended
            sent.response().onFailure(exchange::fail).onSuccess(response -> {
                if (response.statusCode() >= 400) {
                    MultiMap headers = response.headers();
                    response.body().onComplete(ar -> {
                        exchange.answered();
                        exchange.fail(new UpstreamHttpException(
                                response.statusCode(),
                                RetryAfter.parse(headers.get("Retry-After"), headers.get("retry-after-ms")),
                                ar.succeeded() ? snippet(ar.result().toString(StandardCharsets.UTF_8)) : ""));
                    });
                } else {
                    onSuccess.accept(response);
                }
            });
            String body = request.body();
            (body == null ? sent.end() : sent.end(Buffer.buffer(body, "UTF-8"))).onFailure(exchange::fail);
        });
    }

    /** An OpenAI error payload in a successful answer: an {@code error} event, or JSON with a top-level error. */
    static UpstreamHttpException errorPayload(String event, String data) {
        if ("error".equals(event)) {
            return new UpstreamHttpException(200, null, snippet(data));
        }
        if (data == null || !data.contains("\"error\"")) {
            return null;
        }
        try {
            JsonNode error = JSON.readTree(data).get("error");
            return error == null || error.isNull() ? null : new UpstreamHttpException(200, null, snippet(data));
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /** A chat completion rewritten as a stream chunk (each choice's {@code message} as its {@code delta}). */
    static String asChunk(String completion) {
        try {
            JsonNode node = JSON.readTree(completion);
            if (!(node instanceof ObjectNode object)) {
                return completion;
            }
            for (JsonNode choice : object.path("choices")) {
                if (choice instanceof ObjectNode c && c.has("message")) {
                    c.set("delta", c.remove("message"));
                }
            }
            return JSON.writeValueAsString(object);
        } catch (IOException | RuntimeException notJson) {
            return completion;
        }
    }

    private static SuccessfulHttpResponse response(HttpClientResponse response, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers()
                .forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>())
                        .add(h.getValue()));
        return SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(headers)
                .body(body)
                .build();
    }

    private static String snippet(String body) {
        return body == null || body.length() <= MAX_ERROR_BODY ? body : body.substring(0, MAX_ERROR_BODY);
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        return new LangChain4jException(failure);
    }

    /**
     * Builds clients that share one Vert.x HTTP client (and its connection pool). LangChain4j's models pass their
     * {@code timeout} as connect and read timeouts: the read timeout becomes the idle timeout of each request, a
     * safety net behind {@link LlmGuard}'s timeouts; connections are opened within the Vert.x client's own connect
     * timeout ({@code llm.timeout.connect}).
     */
    static final class Builder implements HttpClientBuilder {

        private final HttpClient client;
        private Duration connectTimeout;
        private Duration readTimeout;

        Builder(HttpClient client) {
            this.client = client;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public VertxHttpClient build() {
            return new VertxHttpClient(client, readTimeout);
        }
    }
}
