package io.llmanalytics.analysis;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session deleted while one of its analyses runs: the stream ends with one {@code error} event, status 404, "The
 * session was deleted during the analysis.", and the store holds nothing of the session afterwards (its document with
 * the history, its GridFS files and their chunks), at every point of the pipeline: while the model writes the code,
 * while the code runs, and between the execution and the history write (while the model interprets). Every step
 * waits on a condition: the stub holds the model's answer until the test releases it, and the test reads the stream
 * as it comes.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class DeleteDuringAnalysisTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CSV = "region,sales\nNorth,10\nSouth,20\nEast,5\n";
    static final Duration WAIT = Duration.ofSeconds(120);

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig store;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void deletedWhileTheModelWritesTheCode() throws Exception {
        String session = Uploads.sessionOf("sales.csv", CSV);
        Stored before = stored(session);
        CompletableFuture<Void> release = new CompletableFuture<>();
        stub.hold(i -> i == 0, release);
        stub.respond(r ->
                r.streaming() ? StubResponse.content("Here it is.") : StubResponse.code("result = df['sales'].sum()"));
        Stream stream = Stream.open(io.restassured.RestAssured.port, session);
        assertTrue(stub.awaitRequests(1, WAIT), "the model was asked for code");
        delete(session);
        release.complete(null);
        assertDeletedEnd(stream.events(), session, before);
    }

    @Test
    void deletedWhileTheCodeRuns() throws Exception {
        String session = Uploads.sessionOf("sales.csv", CSV);
        Stored before = stored(session);
        // busy until the execution deadline (or until the deletion evicts the session from the worker)
        stub.respond(r -> r.streaming()
                ? StubResponse.content("Here it is.")
                : StubResponse.code("x = 0\nwhile True:\n    x += 1\nresult = x"));
        Stream stream = Stream.open(io.restassured.RestAssured.port, session);
        stream.awaitEvent(e -> e.path("stage").asText().equals("executing"));
        delete(session);
        assertDeletedEnd(stream.events(), session, before);
    }

    @Test
    void deletedBetweenTheExecutionAndTheHistoryWrite() throws Exception {
        String session = Uploads.sessionOf("sales.csv", CSV);
        Stored before = stored(session);
        CompletableFuture<Void> release = new CompletableFuture<>();
        stub.hold(i -> i == 1, release); // the interpretation, asked after the result is known
        stub.respond(r -> r.streaming()
                ? StubResponse.content("The total is 35.")
                : StubResponse.code("result = int(df['sales'].sum())"));
        Stream stream = Stream.open(io.restassured.RestAssured.port, session);
        assertTrue(stub.awaitRequests(2, WAIT), "the model was asked to interpret the result");
        stream.awaitNamed("result");
        delete(session);
        release.complete(null);
        List<JsonNode> events = stream.events();
        assertDeletedEnd(events, session, before);
        assertTrue(events.stream().anyMatch(e -> e.path("event").asText().equals("result")), "it had executed");
    }

    @Test
    void aLateAnswerDoesNotRecreateTheSession() throws Exception {
        // the same race, many times over: a history write that comes after the deletion matches nothing
        for (int i = 0; i < 3; i++) {
            stub.reset();
            deletedBetweenTheExecutionAndTheHistoryWrite();
        }
        given().get("/api/sessions").then().statusCode(200);
    }

    // ---- helpers ----

    private void assertDeletedEnd(List<JsonNode> events, String session, Stored before) {
        JsonNode last = events.get(events.size() - 1);
        assertEquals("error", last.path("event").asText(), events.toString());
        JsonNode error = last.path("data");
        assertEquals(404, error.path("status").asInt(), error.toString());
        assertEquals(
                "The session was deleted during the analysis.",
                error.path("detail").asText());
        assertTrue(error.path("type").asText().endsWith("not-found"), error.toString());
        assertEquals(
                1,
                events.stream()
                        .filter(e -> List.of("error", "done")
                                .contains(e.path("event").asText()))
                        .count(),
                "one terminal event: " + events);
        given().get("/api/session/" + session).then().statusCode(404);
        assertFalse(before.files().isEmpty(), "the session had stored files");
        assertEquals(0, count("sessions", Filters.eq("_id", session)), "no session document (and no history)");
        assertEquals(
                0, count(GridFsFiles.BUCKET + ".files", Filters.eq("metadata.session", session)), "no GridFS file");
        assertEquals(0, count(GridFsFiles.BUCKET + ".files", Filters.in("_id", before.files())), "no GridFS file");
        assertEquals(0, count(GridFsFiles.BUCKET + ".chunks", Filters.in("files_id", before.files())), "no chunk");
    }

    private record Stored(List<ObjectId> files) {}

    private Stored stored(String session) {
        List<ObjectId> ids = new ArrayList<>();
        client.getDatabase(store.database())
                .getCollection(GridFsFiles.BUCKET + ".files")
                .find(Filters.eq("metadata.session", session))
                .collect()
                .asList()
                .await()
                .atMost(WAIT)
                .forEach(d -> ids.add(d.getObjectId("_id")));
        assertEquals(1, count("sessions", Filters.eq("_id", session)));
        assertTrue(count(GridFsFiles.BUCKET + ".chunks", Filters.in("files_id", ids)) > 0, "chunks are stored");
        return new Stored(ids);
    }

    private long count(String collection, org.bson.conversions.Bson filter) {
        return client.getDatabase(store.database())
                .getCollection(collection, Document.class)
                .countDocuments(filter)
                .await()
                .atMost(WAIT);
    }

    private static void delete(String session) {
        int status = given().delete("/api/session/" + session).then().extract().statusCode();
        assertTrue(status == 200 || status == 204, "deleted: " + status);
    }

    /** An analysis stream read as it comes: each event as {event, data}. */
    static final class Stream {

        private final List<JsonNode> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final CompletableFuture<List<JsonNode>> ended = new CompletableFuture<>();
        private final Object signal = new Object();

        static Stream open(int port, String session) {
            Stream stream = new Stream();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/session/" + session + "/analyze"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"Total sales?\"}"))
                    .build();
            HttpClient.newHttpClient()
                    .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(response -> {
                        assertEquals(200, response.statusCode());
                        String name = null;
                        StringBuilder data = new StringBuilder();
                        for (String line : (Iterable<String>) response.body()::iterator) {
                            if (line.startsWith("event:")) {
                                name = line.substring(6).strip();
                            } else if (line.startsWith("data:")) {
                                data.append(line.substring(5).strip());
                            } else if (line.isEmpty() && name != null) {
                                stream.add(name, data.toString());
                                name = null;
                                data.setLength(0);
                            }
                        }
                        stream.ended.complete(List.copyOf(stream.events));
                    })
                    .exceptionally(e -> {
                        stream.ended.completeExceptionally(e);
                        return null;
                    });
            return stream;
        }

        private void add(String name, String data) {
            JsonNode node;
            try {
                node = JSON.createObjectNode().put("event", name).set("data", JSON.readTree(data));
            } catch (Exception e) {
                node = JSON.createObjectNode().put("event", name).put("data", data);
            }
            events.add(node);
            synchronized (signal) {
                signal.notifyAll();
            }
        }

        List<JsonNode> sofar() {
            return List.copyOf(events);
        }

        /** Waits (on the stream, not a clock) for an event whose data matches. */
        void awaitEvent(Predicate<JsonNode> data) throws InterruptedException {
            await(e -> data.test(e.path("data")));
        }

        /** Waits (on the stream, not a clock) for an event of this name. */
        void awaitNamed(String name) throws InterruptedException {
            await(e -> e.path("event").asText().equals(name));
        }

        private void await(Predicate<JsonNode> event) {
            Awaitility.await("an awaited event (or the end of the stream)")
                    .atMost(WAIT)
                    .until(() -> came(event) || ended.isDone());
            assertTrue(came(event), "the awaited event came: " + events);
        }

        private boolean came(Predicate<JsonNode> event) {
            synchronized (signal) {
                return events.stream().anyMatch(event);
            }
        }

        List<JsonNode> events() throws Exception {
            return ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
