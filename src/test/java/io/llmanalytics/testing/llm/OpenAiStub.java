package io.llmanalytics.testing.llm;

import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An OpenAI-compatible chat-completions server on a loopback port, for tests and benchmarks: real HTTP, scripted
 * answers, and a record of every request.
 *
 * <h2>Endpoints</h2>
 * <ul>
 * <li>{@code POST /v1/chat/completions}: a JSON completion, or with {@code "stream": true} Server-Sent Events
 * ({@code data: {chunk}} lines, a usage chunk when {@code stream_options.include_usage} is set, then
 * {@code data: [DONE]}).</li>
 * <li>{@code GET /v1/models}: the model list.</li>
 * </ul>
 *
 * <h2>Scripting (tests)</h2>
 * Answers come from a queue ({@link #enqueue(StubResponse...)}), and when it is empty from a function of the request
 * ({@link #respond(Function)}; by default an HTTP 500 saying that nothing was scripted). For example, to answer code
 * requests with code and interpretation requests with a sentence:
 *
 * <pre>{@code
 * stub.respond(r -> r.interpretation() ? StubResponse.content("Revenue is 42.") : StubResponse.code("result = 42"));
 * }</pre>
 *
 * See {@link StubResponse} for delays, per-token delays, HTTP errors with headers, stalls and malformed JSON.
 * {@link #requests()} returns what was received (method, path, headers, parsed body), e.g. to assert that no cell
 * value was sent in privacy mode; {@link StubRequest#closedEarly()} tells whether the client cancelled.
 *
 * <h2>Standalone (benchmarks)</h2>
 * Run it from the test classpath:
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     io.llmanalytics.testing.llm.OpenAiStub --port 8089 --delay 1s --distinct-code
 * </pre>
 *
 * Options: {@code --port N} (default 8089; 0 picks a free one), {@code --delay D} before every answer (e.g.
 * {@code 1s}, {@code 250ms}; default 0), {@code --token-delay D} between streamed tokens (default 0),
 * {@code --distinct-code} (every code request gets different code, {@code result = len(df.iloc[:N])} with N counting
 * requests, so a result cache cannot help), {@code --code TEXT} (the code otherwise answered, default
 * {@code result = df.describe()}), {@code --interpretation TEXT}. Then point the service at it:
 * {@code OPENAI_BASE_URL=http://127.0.0.1:8089/v1 OPENAI_API_KEY=stub}.
 */
public final class OpenAiStub implements AutoCloseable {

    /** The answer when nothing was scripted. */
    public static final Function<StubRequest, StubResponse> UNSCRIPTED = r -> StubResponse.status(500)
            .body("{\"error\":{\"message\":\"OpenAiStub: no response scripted for request " + r.index() + "\"}}");

    private final Vertx vertx;
    private volatile HttpServer server;
    private volatile int port;
    private final Deque<StubResponse> queue = new ConcurrentLinkedDeque<>();
    private final List<StubRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Function<StubRequest, StubResponse> responder = UNSCRIPTED;
    private volatile java.util.function.IntPredicate held = i -> false;
    private volatile CompletionStage<?> release = CompletableFuture.completedFuture(null);

    private OpenAiStub(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Starts a stub on a free loopback port. */
    public static OpenAiStub start() {
        return start("127.0.0.1", 0);
    }

    public static OpenAiStub start(String host, int port) {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer();
        OpenAiStub stub = new OpenAiStub(vertx, server);
        server.requestHandler(stub::handle);
        try {
            server.listen(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            stub.port = server.actualPort();
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("OpenAiStub cannot listen on " + host + ":" + port, e);
        }
        return stub;
    }

    public int port() {
        return port;
    }

    /**
     * Closes the listening socket and every connection: clients get "connection refused", as from an endpoint that is
     * down, until {@link #listenAgain()}.
     */
    public OpenAiStub stopListening() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("OpenAiStub cannot stop listening", e);
        }
        return this;
    }

    /** Listens again on the same port after {@link #stopListening()}. */
    public OpenAiStub listenAgain() {
        HttpServer again = vertx.createHttpServer();
        again.requestHandler(this::handle);
        try {
            again.listen(port, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("OpenAiStub cannot listen again on port " + port, e);
        }
        server = again;
        return this;
    }

    /** The base URL to configure as {@code OPENAI_BASE_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Answers the next requests, in order, before falling back to {@link #respond(Function)}. */
    public OpenAiStub enqueue(StubResponse... responses) {
        queue.addAll(List.of(responses));
        return this;
    }

    /** Answers every request the queue does not cover. */
    public OpenAiStub respond(Function<StubRequest, StubResponse> responder) {
        this.responder = responder;
        return this;
    }

    /**
     * Holds the answers to chat requests whose index {@code which} accepts (recorded at once, as usual) until
     * {@code release} completes: a test can act while the service waits for the model, then let it go on.
     */
    public OpenAiStub hold(java.util.function.IntPredicate which, CompletionStage<?> release) {
        this.held = which;
        this.release = release;
        return this;
    }

    /**
     * The most chat requests that were open at once (received, their answer not yet ended) since the last reset: how
     * many analyses the service ran in parallel.
     */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** Forgets the queue, the recorded requests, the responder and any hold. */
    public OpenAiStub reset() {
        maxInFlight.set(inFlight.get());
        queue.clear();
        requests.clear();
        counter.set(0);
        responder = UNSCRIPTED;
        held = i -> false;
        release = CompletableFuture.completedFuture(null);
        return this;
    }

    /** Every request received since the last reset, in arrival order. */
    public List<StubRequest> requests() {
        return List.copyOf(requests);
    }

    public List<StubRequest> chatRequests() {
        return requests.stream()
                .filter(r -> r.path().endsWith("/chat/completions"))
                .toList();
    }

    public StubRequest lastRequest() {
        List<StubRequest> all = requests();
        if (all.isEmpty()) {
            throw new IllegalStateException("OpenAiStub received no request");
        }
        return all.get(all.size() - 1);
    }

    /** Waits until at least {@code count} requests arrived; false on timeout. */
    public boolean awaitRequests(int count, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(5)).until(() -> requests.size() >= count);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing a test server: nothing useful to do
        }
    }

    private void handle(HttpServerRequest req) {
        req.body()
                .onSuccess(buffer -> dispatch(req, buffer))
                .onFailure(e -> req.response().setStatusCode(400).end());
    }

    private void dispatch(HttpServerRequest req, Buffer buffer) {
        String path = req.path();
        if (req.method().name().equals("GET") && path.endsWith("/models")) {
            record(req, buffer);
            models(req.response());
            return;
        }
        if (!req.method().name().equals("POST") || !path.endsWith("/chat/completions")) {
            record(req, buffer);
            req.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "application/json")
                    .end(
                            "{\"error\":{\"message\":\"OpenAiStub serves POST /v1/chat/completions and GET /v1/models\"}}");
            return;
        }
        StubRequest request = record(req, buffer);
        HttpServerResponse response = req.response();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicBoolean finished = new AtomicBoolean();
        Runnable over = () -> {
            if (finished.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        response.endHandler(v -> over.run());
        response.closeHandler(v -> {
            if (!response.ended()) {
                request.closedEarly().complete(null);
            }
            over.run();
        });
        StubResponse answer = queue.poll();
        if (answer == null) {
            answer = responder.apply(request);
        }
        StubResponse scripted = answer;
        if (held.test(request.index())) {
            io.vertx.core.Context context = vertx.getOrCreateContext();
            release.whenComplete((v, e) -> context.runOnContext(x -> answer(req, request, scripted)));
            return;
        }
        if (scripted.delay().isZero()) {
            answer(req, request, scripted);
        } else {
            vertx.setTimer(Math.max(1, scripted.delay().toMillis()), t -> answer(req, request, scripted));
        }
    }

    private StubRequest record(HttpServerRequest req, Buffer buffer) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        req.headers()
                .forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(h.getValue()));
        String text = buffer.toString();
        JsonObject body;
        try {
            body = text.isBlank() ? new JsonObject() : new JsonObject(text);
        } catch (RuntimeException e) {
            body = new JsonObject();
        }
        StubRequest request = new StubRequest(
                counter.getAndIncrement(),
                req.method().name(),
                req.path(),
                headers,
                text,
                body,
                System.nanoTime(),
                new CompletableFuture<>());
        requests.add(request);
        return request;
    }

    private void answer(HttpServerRequest req, StubRequest request, StubResponse answer) {
        HttpServerResponse response = req.response();
        if (response.closed()) {
            return;
        }
        if (answer.closeWithoutAnswer() && answer.stallAfter() < 0) {
            req.connection().close();
            return;
        }
        answer.headers().forEach(response::putHeader);
        if (!answer.success()) {
            response.setStatusCode(answer.status())
                    .putHeader("Content-Type", "application/json")
                    .end(answer.body() == null ? "" : answer.body());
            return;
        }
        if (answer.body() != null) {
            response.setStatusCode(answer.status())
                    .putHeader("Content-Type", request.streaming() ? "text/event-stream" : "application/json")
                    .end(answer.body());
            return;
        }
        String model = answer.model() != null ? answer.model() : request.model();
        String id = "chatcmpl-stub-" + ids.incrementAndGet();
        if (request.streaming() && !answer.jsonEvenIfStreamed()) {
            stream(response, request, answer, id, model);
        } else if (answer.malformedJson()) {
            response.putHeader("Content-Type", "application/json").end("{\"id\":\"" + id + "\",\"choices\":[{\"mess");
        } else {
            JsonObject message = new JsonObject().put("role", "assistant").put("content", answer.content());
            JsonObject body = envelope(id, model, "chat.completion")
                    .put(
                            "choices",
                            new JsonArray()
                                    .add(new JsonObject()
                                            .put("index", 0)
                                            .put("message", message)
                                            .put("finish_reason", "stop")))
                    .put("usage", usage(request, answer));
            response.putHeader("Content-Type", "application/json").end(body.encode());
        }
    }

    private void stream(
            HttpServerResponse response, StubRequest request, StubResponse answer, String id, String model) {
        response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        response.write(
                event(chunk(id, model, new JsonObject().put("role", "assistant").put("content", ""), null)));
        List<String> tokens = answer.streamTokens();
        sendToken(response, request, answer, id, model, tokens, 0);
    }

    private void sendToken(
            HttpServerResponse response,
            StubRequest request,
            StubResponse answer,
            String id,
            String model,
            List<String> tokens,
            int next) {
        if (response.closed()) {
            return;
        }
        if (answer.stallAfter() >= 0 && next >= answer.stallAfter()) {
            if (answer.closeWithoutAnswer()) {
                response.end(); // cut: the HTTP response ends, the answer does not
            }
            return; // stall: keep the connection open, send nothing more
        }
        if (answer.malformedJson() && next == Math.min(1, tokens.size())) {
            response.write("data: {\"id\":\"" + id + "\",\"choices\":[{\"delta\":{\"content\":\"oo\n\n");
            response.end("data: [DONE]\n\n");
            return;
        }
        if (next >= tokens.size()) {
            response.write(event(chunk(id, model, new JsonObject(), "stop")));
            if (request.includeUsage()) {
                response.write(event(envelope(id, model, "chat.completion.chunk")
                        .put("choices", new JsonArray())
                        .put("usage", usage(request, answer))));
            }
            response.end("data: [DONE]\n\n");
            return;
        }
        response.write(event(chunk(id, model, new JsonObject().put("content", tokens.get(next)), null)));
        long delay = answer.tokenDelay().toMillis();
        if (delay <= 0) {
            sendToken(response, request, answer, id, model, tokens, next + 1);
        } else {
            vertx.setTimer(delay, t -> sendToken(response, request, answer, id, model, tokens, next + 1));
        }
    }

    private void models(HttpServerResponse response) {
        JsonArray data = new JsonArray()
                .add(new JsonObject()
                        .put("id", "gpt-4o-mini")
                        .put("object", "model")
                        .put("owned_by", "openai-stub"));
        response.putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("object", "list").put("data", data).encode());
    }

    private static JsonObject envelope(String id, String model, String object) {
        return new JsonObject()
                .put("id", id)
                .put("object", object)
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
    }

    private static JsonObject chunk(String id, String model, JsonObject delta, String finishReason) {
        return envelope(id, model, "chat.completion.chunk")
                .put(
                        "choices",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("index", 0)
                                        .put("delta", delta)
                                        .put("finish_reason", finishReason)));
    }

    private static String event(JsonObject data) {
        return "data: " + data.encode() + "\n\n";
    }

    private static JsonObject usage(StubRequest request, StubResponse answer) {
        int prompt = answer.promptTokens() != null
                ? answer.promptTokens()
                : Math.max(1, request.prompt().length() / 4);
        int completion = answer.completionTokens() != null
                ? answer.completionTokens()
                : Math.max(1, answer.content() == null ? 0 : answer.content().length() / 4);
        return new JsonObject()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    /** Runs the stub standalone; see the class documentation for the options. */
    public static void main(String[] args) throws InterruptedException {
        int port = 8089;
        Duration delay = Duration.ZERO;
        Duration tokenDelay = Duration.ZERO;
        boolean distinct = false;
        String code = "result = df.describe()";
        String interpretation = "The table above summarises each numeric column of the data.";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--delay" -> delay = duration(args[++i]);
                case "--token-delay" -> tokenDelay = duration(args[++i]);
                case "--distinct-code" -> distinct = true;
                case "--code" -> code = args[++i];
                case "--interpretation" -> interpretation = args[++i];
                default -> {
                    System.err.println("unknown option " + args[i]
                            + "; options: --port N --delay D --token-delay D --distinct-code --code T"
                            + " --interpretation T");
                    System.exit(2);
                }
            }
        }
        OpenAiStub stub = start("127.0.0.1", port);
        stub.respond(benchmarkResponder(delay, tokenDelay, distinct, code, interpretation));
        System.out.println("OpenAI stub listening on " + stub.baseUrl() + " (delay " + delay.toMillis()
                + " ms, token delay " + tokenDelay.toMillis() + " ms" + (distinct ? ", distinct code" : "") + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(stub::close));
        Thread.currentThread().join();
    }

    /** The standalone responder; public so that benchmark harnesses can run the stub in-process. */
    public static Function<StubRequest, StubResponse> benchmarkResponder(
            Duration delay, Duration tokenDelay, boolean distinct, String code, String interpretation) {
        AtomicLong n = new AtomicLong();
        return r -> {
            StubResponse answer = r.interpretation()
                    ? StubResponse.content(interpretation)
                    : StubResponse.code(distinct ? "result = len(df.iloc[:" + n.incrementAndGet() + "])" : code);
            return answer.delay(delay).tokenDelay(tokenDelay);
        };
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        return Duration.ofMillis(Long.parseLong(t));
    }
}
