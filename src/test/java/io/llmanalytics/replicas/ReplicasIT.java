package io.llmanalytics.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.llmanalytics.testing.Conditions;
import io.llmanalytics.testing.PackagedService;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubRequest;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.mongodb.impl.ReactiveMongoClientImpl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Two instances of the packaged service (A and B) on one store, the embedded server run as its own process
 * ({@link StoreProcess}), with a round-robin proxy in front ({@link ReplicaProxy}): the service behaves as one system.
 * Each test uses its own API key, so that the per-key limits of one do not touch another. Runs in {@code verify}
 * after packaging.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration START = Duration.ofMinutes(3);
    static final int UPLOADS_PER_MINUTE = 5;
    static final int ANALYSES_PER_MINUTE = 20;
    static final int STREAMS = 2;
    static final Duration LEASE = Duration.ofSeconds(6);
    static final String VISITS = "city,visits\nOslo,3\nLima,5\n";
    static final String CUSTOMERS = "id,name\n1,Ann\n2,Bob\n3,Cid\n4,Dee\n";
    static final List<String> KEYS = List.of(
            "key-share",
            "key-limits",
            "key-streams",
            "key-roll-1",
            "key-roll-2",
            "key-roll-3",
            "key-roll-4",
            "key-roll-5",
            "key-roll-6",
            "key-store-1",
            "key-store-2");

    Path root;
    OpenAiStub stub;
    StoreProcess store;
    Map<String, String> env;
    PackagedService a;
    PackagedService b;
    ReplicaProxy proxy;
    HttpClient http;
    MongoClient direct;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("replicas-");
        stub = OpenAiStub.start();
        stub.respond(ReplicasIT::answer);
        store = StoreProcess.start(root.resolve("store"));
        env = new HashMap<>(Map.ofEntries(
                Map.entry("MONGODB_URL", store.url()),
                Map.entry("OPENAI_BASE_URL", stub.baseUrl()),
                Map.entry("OPENAI_API_KEY", "sk-replicas"),
                Map.entry("API_KEYS", String.join(",", KEYS)),
                Map.entry("RATE_LIMIT_UPLOADS_PER_MINUTE", Integer.toString(UPLOADS_PER_MINUTE)),
                Map.entry("RATE_LIMIT_ANALYSES_PER_MINUTE", Integer.toString(ANALYSES_PER_MINUTE)),
                Map.entry("RATE_LIMIT_CONCURRENT_STREAMS", Integer.toString(STREAMS)),
                Map.entry("STREAM_LEASE", LEASE.toSeconds() + "s"),
                Map.entry("STORE_TIMEOUT", "3s"),
                Map.entry("MAX_CONVERSATION_HISTORY", "200"),
                Map.entry("ANALYSIS_DRAIN_TIMEOUT", "5s"),
                Map.entry("QUARKUS_LOG_CATEGORY__IO_LLMANALYTICS_INSIGHTS__LEVEL", "DEBUG")));
        // one at a time: two GraalPy warm-ups at once on two cores take longer than one after the other
        a = instance("a");
        b = instance("b");
        proxy = ReplicaProxy.start(0, List.of(a.uri(""), b.uri("")));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        direct = MongoClients.create(store.url());
    }

    PackagedService instance(String name) throws Exception {
        Map<String, String> own = new HashMap<>(env);
        own.put("DATA_DIR", Files.createDirectories(root.resolve(name)).toString());
        return PackagedService.start(own, START);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {proxy, a, b, store, stub}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing the rest matters more
                }
            }
        }
        if (direct != null) {
            direct.close();
        }
        if (http != null) {
            http.close();
        }
        StoreProcess.deleteTree(root);
    }

    /** The stub LLM: code and answer by question; "slowly" questions stream their answer a token a second. */
    static StubResponse answer(StubRequest r) {
        String prompt = r.userMessage();
        if (prompt.contains("customers table")) {
            return r.interpretation()
                    ? StubResponse.content("There are 4 customers.")
                    : StubResponse.code("result = len(dfs['customers'])");
        }
        if (!r.interpretation()) {
            return StubResponse.code("result = int(df['visits'].sum())");
        }
        if (prompt.contains("slowly")) {
            return StubResponse.content("The visits add up to 8. ".repeat(40).strip())
                    .tokenDelay(Duration.ofSeconds(1));
        }
        if (prompt.contains("steadily")) {
            return StubResponse.content("The visits add up to 8 in total.").tokenDelay(Duration.ofMillis(400));
        }
        return StubResponse.content("The visits add up to 8.");
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void sessionsCreatedOnAAreServedByBAndInsightsAreComputedOnce() throws Exception {
        String key = "key-share";
        String session = upload(a.uri(""), key, "visits.csv", VISITS);
        JsonNode got = json(send(b.uri("/api/session/" + session), key, "GET", null, null), 200);
        assertEquals(2, got.path("data_info").path("rows").asInt(), got.toString());
        JsonNode answer = json(analyze(b.uri(""), key, session, "How many visits in total?"), 200);
        assertEquals(8, answer.path("raw_result").asInt(), answer.toString());
        HttpResponse<String> export =
                send(b.uri("/api/session/" + session + "/export?format=csv"), key, "GET", null, null);
        assertEquals(200, export.statusCode(), export.body());
        assertTrue(export.body().contains("Lima"), export.body());

        // a dataset added through B is what A's worker answers on (A loaded the session's first set before)
        HttpResponse<String> added =
                multipart(b.uri("/api/session/" + session + "/datasets"), key, "customers.csv", CUSTOMERS);
        assertEquals(201, added.statusCode(), added.body());
        JsonNode onA = json(analyze(a.uri(""), key, session, "How many rows does the customers table have?"), 200);
        assertEquals(4, onA.path("raw_result").asInt(), onA.toString());

        // insights: computed by one instance, whichever is asked
        String other = upload(a.uri(""), key, "visits.csv", VISITS);
        Conditions.until(
                "insights of " + other + " ready",
                Duration.ofSeconds(90),
                () -> "ready".equals(insights(b, key, other)) | "ready".equals(insights(a, key, other)));
        assertEquals(1, computations(other), "computed once, after upload");
        // dropped from the store: asked on both instances at once, computed again once
        await(new ReactiveMongoClientImpl(direct)
                .getDatabase("llm_analytics")
                .getCollection("sessions")
                .updateOne(Filters.eq("_id", other), Updates.unset("insights")));
        List<Thread> askers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            PackagedService target = i % 2 == 0 ? a : b;
            askers.add(Thread.ofVirtual().start(() -> insights(target, key, other)));
        }
        for (Thread t : askers) {
            t.join();
        }
        Conditions.until(
                "insights of " + other + " ready again",
                Duration.ofSeconds(90),
                () -> "ready".equals(insights(a, key, other)));
        Conditions.until("the computation logged", Duration.ofSeconds(10), () -> computations(other) >= 2);
        assertEquals(2, computations(other), "computed once more, not once per instance or request");

        assertEquals(
                204,
                send(b.uri("/api/session/" + session), key, "DELETE", null, null)
                        .statusCode());
        assertEquals(
                404,
                send(a.uri("/api/session/" + session), key, "GET", null, null).statusCode());
        assertEquals(
                404,
                analyze(a.uri(""), key, session, "How many visits in total?").statusCode());
    }

    @Test
    @Order(2)
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void aCallerAlternatingBetweenAAndBIsRefusedAtTheConfiguredTotal() throws Exception {
        String key = "key-limits";
        // counts are per wall-clock minute: start early in one so that the whole test falls in it
        Conditions.until("early in a minute", Duration.ofSeconds(70), () -> {
            int second = Instant.now().atZone(java.time.ZoneOffset.UTC).getSecond();
            return second >= 1 && second <= 12;
        });
        long minute = System.currentTimeMillis() / 60_000;
        String session = null;
        for (int i = 0; i < UPLOADS_PER_MINUTE; i++) {
            String created = upload((i % 2 == 0 ? a : b).uri(""), key, "visits.csv", VISITS);
            session = session == null ? created : session;
        }
        for (PackagedService refusing : List.of(a, b)) {
            HttpResponse<String> refused = multipart(refusing.uri("/api/session/create"), key, "visits.csv", VISITS);
            tooMany(refused, "uploads per minute");
        }
        for (int i = 0; i < ANALYSES_PER_MINUTE - 1; i++) { // the first upload's session: one analysis each
            json(analyze((i % 2 == 0 ? b : a).uri(""), key, session, "How many visits in total?"), 200);
        }
        json(analyze(a.uri(""), key, session, "How many visits in total?"), 200);
        for (PackagedService refusing : List.of(b, a)) {
            tooMany(analyze(refusing.uri(""), key, session, "How many visits in total?"), "analyses per minute");
        }
        assertEquals(minute, System.currentTimeMillis() / 60_000, "the test stayed within one minute");
    }

    @Test
    @Order(3)
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void concurrentStreamsHoldAcrossInstancesAndAKilledInstancesSlotsComeBackWithinTheLease() throws Exception {
        String key = "key-streams";
        String session = upload(a.uri(""), key, "visits.csv", VISITS);
        String quick = upload(b.uri(""), key, "visits.csv", VISITS); // questions of its own: no slow one in its context
        OpenStream onA = OpenStream.open(http, a.uri(""), key, session, "How many visits, slowly?");
        OpenStream onB = OpenStream.open(http, b.uri(""), key, session, "How many visits, slowly?");
        for (PackagedService refusing : List.of(a, b)) {
            HttpResponse<String> third = send(
                    refusing.uri("/api/session/" + session + "/analyze"),
                    key,
                    "POST",
                    "{\"question\": \"How many visits in total?\"}",
                    "text/event-stream");
            tooMany(third, "analyses running at once");
        }
        a.kill(); // its slot is never given back: only the lease ends it
        long killed = System.nanoTime();
        Conditions.until("a slot free on B", LEASE.plusSeconds(20), () -> {
            HttpResponse<String> r = send(
                    b.uri("/api/session/" + quick + "/analyze"),
                    key,
                    "POST",
                    "{\"question\": \"How many visits in total?\"}",
                    "text/event-stream");
            if (r.statusCode() != 200 && r.statusCode() != 429) {
                throw new AssertionError("unexpected " + r.statusCode() + ": " + r.body());
            }
            return r.statusCode() == 200
                    && r.body().contains("event: done") | r.body().contains("event:done");
        });
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf(
                "a killed instance's stream slot came back after %.1f s (lease %d s)%n",
                took.toMillis() / 1000.0, LEASE.toSeconds());
        assertTrue(took.compareTo(LEASE.plusSeconds(LEASE.toSeconds() / 3 + 3)) < 0, "came back after " + took);
        assertTrue(onA.ended(Duration.ofSeconds(10)), "the stream on the killed instance ended");
        onB.close();
        restartKilledA();
    }

    @Test
    @Order(4)
    @Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void aRollingRestartOfAUnderSteadyLoadLosesNothing() throws Exception {
        List<String> keys = KEYS.stream().filter(k -> k.startsWith("key-roll-")).toList();
        Map<String, String> sessions = new ConcurrentHashMap<>();
        for (String key : keys) {
            sessions.put(key, upload(proxy.uri(""), key, "visits.csv", VISITS));
        }
        Load load = new Load(http, proxy, sessions, "How many visits, steadily?");
        load.start(3);
        Conditions.until("three answers before the restart", Duration.ofSeconds(60), () -> load.done.get() >= 3);
        URI oldA = a.uri("");
        PackagedService stopping = a;
        ProcessHandle process = ProcessHandle.of(stopping.pid()).orElseThrow();
        System.out.println(Instant.now() + " rolling restart: SIGTERM to A " + oldA);
        long servedBefore = proxy.served(oldA);
        process.destroy(); // SIGTERM, as the kubelet sends it; the proxy keeps sending to A until it sees readiness
        Conditions.until("A's readiness DOWN", Duration.ofSeconds(30), () -> !ready(oldA));
        proxy.remove(oldA); // as the endpoints controller does once readiness failed
        long servedWhileStopping = proxy.served(oldA) - servedBefore;
        System.out.println(Instant.now() + " rolling restart: A out of the rotation after " + servedWhileStopping
                + " requests sent to it since SIGTERM");
        process.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        stopping.close();
        a = instance("a");
        proxy.add(a.uri(""));
        System.out.println(Instant.now() + " rolling restart: A is back as " + a.uri(""));
        int before = load.done.get();
        URI newA = a.uri("");
        Conditions.until(
                "answers after A is back, some from A",
                Duration.ofSeconds(90),
                () -> load.done.get() >= before + 4 && proxy.served(newA) >= 2);
        load.stop();
        load.check(this);
        assertEquals(
                Set.of(200),
                load.statuses.keySet(),
                "no 5xx (nor any refusal) during a rolling restart: " + load.statuses + " " + load.refusals);
        System.out.printf(
                "rolling restart: %d streams, %d done, %d clean errors, statuses %s%n",
                load.started.get(), load.done.get(), load.errors.get(), load.statuses);
    }

    @Test
    @Order(5)
    @Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void theStoreStoppedForTenSecondsUnderLoadGives503sAndLosesNothing() throws Exception {
        String key = "key-store-1";
        String session = upload(proxy.uri(""), key, "visits.csv", VISITS);
        Load load = new Load(
                http,
                proxy,
                Map.of(key, session, "key-store-2", upload(proxy.uri(""), "key-store-2", "visits.csv", VISITS)),
                "How many visits, steadily?");
        load.start(2);
        Conditions.until("answers before the outage", Duration.ofSeconds(60), () -> load.done.get() >= 2);
        System.out.println(Instant.now() + " store outage: stopping the store");
        store.stop();
        long stopped = System.nanoTime();
        for (PackagedService instance : List.of(a, b)) {
            Conditions.until("a 503 problem from " + instance.port(), Duration.ofSeconds(30), () -> {
                HttpResponse<String> r = send(instance.uri("/api/session/" + session), key, "GET", null, null);
                return r.statusCode() == 503
                        && r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                        && r.headers().firstValue("Retry-After").isPresent();
            });
        }
        Conditions.until(
                "ten seconds of outage",
                Duration.ofSeconds(30),
                () -> System.nanoTime() - stopped >= Duration.ofSeconds(10).toNanos());
        System.out.println(Instant.now() + " store outage: starting the store");
        store.start();
        long restarted = System.nanoTime();
        for (PackagedService instance : List.of(a, b)) {
            Conditions.until(
                    "instance " + instance.port() + " recovered",
                    Duration.ofSeconds(60),
                    () -> send(instance.uri("/api/session/" + session), key, "GET", null, null)
                                    .statusCode()
                            == 200);
        }
        System.out.printf(
                "both instances answered again %.1f s after the store came back%n",
                (System.nanoTime() - restarted) / 1e9);
        int before = load.done.get();
        Conditions.until("answers after the outage", Duration.ofSeconds(60), () -> load.done.get() >= before + 2);
        load.stop();
        load.check(this);
        // the outage shows as 503 problems, or as error events of status 503 in streams whose 200 was already sent
        assertTrue(
                load.statuses.containsKey(503) || load.errorStatuses.containsKey(503),
                "the load saw the outage: " + load.statuses + ", error events " + load.errorStatuses);
        System.out.printf(
                "store outage: %d analyses, %d done, statuses %s%n",
                load.started.get(), load.done.get(), load.statuses);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Starts A again on a new port after it was killed, back in the rotation. */
    void restartKilledA() throws Exception {
        proxy.remove(a.uri(""));
        a = instance("a");
        proxy.add(a.uri(""));
    }

    /** Whether {@code instance}'s readiness is UP (a refused connection: not ready). */
    boolean ready(URI instance) {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(instance + "/q/health/ready"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Insights computations of {@code session} logged by both instances. */
    int computations(String session) throws IOException {
        Pattern saved = Pattern.compile("Insights of session " + Pattern.quote(session) + ": (ready|failed)");
        int n = 0;
        for (PackagedService instance : List.of(a, b)) {
            Matcher m = saved.matcher(instance.log());
            while (m.find()) {
                n++;
            }
        }
        return n;
    }

    String insights(PackagedService instance, String key, String session) {
        try {
            HttpResponse<String> r =
                    send(instance.uri("/api/session/" + session + "/insights"), key, "GET", null, null);
            return r.statusCode() == 200
                    ? JSON.readTree(r.body()).path("status").asText()
                    : "http " + r.statusCode();
        } catch (Exception e) {
            return "unreachable";
        }
    }

    static void tooMany(HttpResponse<String> r, String limit) {
        assertEquals(429, r.statusCode(), r.body());
        assertTrue(
                r.headers().firstValue("Retry-After").isPresent(),
                "Retry-After: " + r.headers().map());
        assertTrue(r.body().contains(limit), r.body());
    }

    static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(20));
    }

    JsonNode json(HttpResponse<String> r, int status) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    HttpResponse<String> send(URI uri, String key, String method, String body, String accept) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (accept != null) {
            builder.header("Accept", accept);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> analyze(URI base, String key, String session, String question) throws Exception {
        return send(
                URI.create(base + "/api/session/" + session + "/analyze"),
                key,
                "POST",
                "{\"question\": \"" + question + "\"}",
                "application/json");
    }

    String upload(URI base, String key, String name, String csv) throws Exception {
        HttpResponse<String> created = multipart(URI.create(base + "/api/session/create"), key, name, csv);
        return json(created, 201).get("session_id").asText();
    }

    HttpResponse<String> multipart(URI uri, String key, String name, String csv) throws Exception {
        String boundary = "----replicas";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        return http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(90))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An SSE analysis read as it streams, on a thread of its own. */
    static final class OpenStream implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final java.util.concurrent.CompletableFuture<String> end = new java.util.concurrent.CompletableFuture<>();
        InputStream body;

        static OpenStream open(HttpClient http, URI base, String key, String session, String question)
                throws Exception {
            OpenStream stream = new OpenStream();
            HttpResponse<InputStream> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/session/" + session + "/analyze"))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .header("Accept", "text/event-stream")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"" + question + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode(), () -> "stream refused: " + read(r.body()));
            stream.body = r.body();
            java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(stream.body, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        stream.lines.add(line);
                        if (line.startsWith("event:")) {
                            started.complete(null);
                        }
                    }
                    stream.end.complete("closed");
                } catch (IOException e) {
                    stream.end.complete("lost: " + e.getMessage());
                }
                started.complete(null);
            });
            started.get(60, java.util.concurrent.TimeUnit.SECONDS);
            return stream;
        }

        static String read(InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        }

        boolean ended(Duration within) {
            try {
                end.get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /**
     * Clients asking over SSE through the proxy, one after the other each, until stopped: every response status,
     * every stream's last event and every answer they saw, for {@link #check}.
     */
    static final class Load {
        final HttpClient http;
        final ReplicaProxy proxy;
        final Map<String, String> sessions;
        final String question;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final Map<Integer, AtomicInteger> errorStatuses = new ConcurrentHashMap<>();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        /** every refusal and error event, with the instance that gave it (the proxy's X-Replica), for diagnosis. */
        final List<String> refusals = new CopyOnWriteArrayList<>();
        /** conversation ids of the answers seen, by session key. */
        final Map<String, Set<String>> answers = new ConcurrentHashMap<>();

        final List<Thread> threads = new ArrayList<>();

        Load(HttpClient http, ReplicaProxy proxy, Map<String, String> sessions, String question) {
            this.http = http;
            this.proxy = proxy;
            this.sessions = sessions;
            this.question = question;
        }

        void start(int clients) {
            List<String> keys = List.copyOf(sessions.keySet());
            for (int c = 0; c < clients; c++) {
                int client = c;
                threads.add(Thread.ofVirtual().start(() -> {
                    int n = 0;
                    while (running.get()) {
                        // each client goes round its share of the keys, so that no key passes its own limits
                        String key = keys.get((client + clients * n++) % keys.size());
                        once(key, sessions.get(key));
                    }
                }));
            }
        }

        void once(String key, String session) {
            started.incrementAndGet();
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(proxy.uri("/api/session/" + session + "/analyze"))
                                .timeout(Duration.ofSeconds(120))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json")
                                .header("Accept", "text/event-stream")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"" + question + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger())
                        .incrementAndGet();
                String replica = r.headers().firstValue("X-Replica").orElse("?");
                if (r.statusCode() != 200) {
                    refusals.add(Instant.now() + " " + r.statusCode() + " from " + replica + ": " + r.body());
                    boolean problem =
                            r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
                    if (!problem || r.statusCode() >= 500 && r.statusCode() != 503) {
                        problems.add(r.statusCode() + " " + r.body());
                    }
                    return;
                }
                SseEvents events = SseEvents.parse(r.body());
                String last = events.events().isEmpty() ? "none" : events.last().name();
                if (last.equals("done")) {
                    done.incrementAndGet();
                    answers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
                            .add(events.done().path("conversation_id").asText());
                } else if (last.equals("error")) {
                    errors.incrementAndGet();
                    JsonNode error = events.last().data();
                    errorStatuses
                            .computeIfAbsent(error.path("status").asInt(), s -> new AtomicInteger())
                            .incrementAndGet();
                    refusals.add(Instant.now() + " error event from " + replica + ": " + error);
                    if (error.path("status").asInt() == 0
                            || error.path("detail").asText().isBlank()) {
                        problems.add("unclear error event " + error);
                    }
                } else {
                    String body = r.body();
                    problems.add("a stream from " + replica + " ended without done or error at "
                            + Instant.now() + ": " + events.names() + ", body "
                            + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
                }
            } catch (Exception e) {
                problems.add("request failed: " + e);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(150));
            }
        }

        /** No 5xx but 503 problems, every stream ended with done or a clean error, every answer in the history. */
        void check(ReplicasIT it) throws Exception {
            refusals.forEach(r -> System.out.println("load: " + r));
            assertTrue(problems.isEmpty(), "problems: " + problems);
            for (Map.Entry<Integer, AtomicInteger> status : statuses.entrySet()) {
                assertFalse(status.getKey() >= 500 && status.getKey() != 503, "status " + status.getKey());
            }
            for (Map.Entry<String, Set<String>> seen : answers.entrySet()) {
                String session = sessions.get(seen.getKey());
                JsonNode view =
                        it.json(it.send(proxy.uri("/api/session/" + session), seen.getKey(), "GET", null, null), 200);
                Set<String> stored = ConcurrentHashMap.newKeySet();
                view.path("history").forEach(h -> stored.add(h.path("id").asText()));
                for (String id : seen.getValue()) {
                    assertTrue(
                            stored.contains(id),
                            "answer " + id + " is in the history of " + session + ": " + view.path("history"));
                }
            }
        }
    }
}
