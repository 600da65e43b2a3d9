package io.llmanalytics.faults;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.testing.OwnJvm;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.faults.FlakyStoreProfile;
import io.llmanalytics.testing.faults.InjectStoreProxy;
import io.llmanalytics.testing.faults.TcpProxy;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MongoDB unreachable during upload, analysis and history write: a clear 503, nothing half-written, recovery. */
@QuarkusTest
@OwnJvm
@TestProfile(FlakyStoreProfile.class)
class StoreFaultTest {

    private static final String CSV = "city,visits\nOslo,3\nLima,5\n";

    @InjectStoreProxy
    TcpProxy store;

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig config;

    @TestHTTPResource("/")
    URI base;

    @AfterEach
    void restore() {
        store.restore();
    }

    private long count(String collection) {
        return client.getDatabase(config.database())
                .getCollection(collection)
                .countDocuments()
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    @Test
    void anUploadWhileTheStoreIsDownIsA503AndLeavesNothing() {
        long sessions = count("sessions");
        long files = count(GridFsFiles.BUCKET + ".files");
        store.cut();
        Uploads.upload("down.csv", CSV.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", containsString("store-unavailable"))
                .body("detail", containsString("nothing was changed"));
        store.restore();
        assertEquals(sessions, count("sessions"), "no session without its dataset");
        assertEquals(files, count(GridFsFiles.BUCKET + ".files"), "no dataset without its session");
        Uploads.upload("back.csv", CSV.getBytes(StandardCharsets.UTF_8)).then().statusCode(201);
    }

    @Test
    void sessionReadsAndAnalysesWhileTheStoreIsDownAre503() {
        String id = Uploads.sessionOf("up.csv", CSV);
        store.cut();
        given().get("/api/session/" + id).then().statusCode(503).contentType("application/problem+json");
        given().get("/api/sessions").then().statusCode(503);
        given().contentType("application/json")
                .accept("text/event-stream")
                .body("{\"question\": \"How many visits?\"}")
                .post("/api/session/" + id + "/analyze")
                .then()
                .statusCode(503)
                .contentType("application/problem+json");
        given().get("/api/health").then().statusCode(503).body("components.store.status", is("down"));
        store.restore();
        given().get("/api/session/" + id).then().statusCode(200);
    }

    @Test
    void aHistoryWriteThatFailsEndsTheStreamWithAnErrorNotDone() throws Exception {
        String id = Uploads.sessionOf("history.csv", CSV);
        stub.respond(request -> request.streaming()
                ? StubResponse.content("")
                        .tokens("There ", "were ", "8 ", "visits.")
                        .tokenDelay(Duration.ofMillis(400))
                : StubResponse.code("result = int(df['visits'].sum())"));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/session/" + id + "/analyze"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"Total visits?\"}"))
                .build();
        List<String> lines = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    if (line.contains("\"interpreting\"")) {
                        store.cut();
                    }
                }
            }
        }
        SseEvents events = SseEvents.parse(String.join("\n", lines));
        assertEquals("error", events.last().name(), events.names().toString());
        assertFalse(events.names().contains("done"), "no done without its history entry");
        assertTrue(
                events.last().data().get("type").asText().contains("store-unavailable"),
                events.last().data().toString());
        store.restore();
        given().get("/api/session/" + id).then().statusCode(200).body("history.size()", is(0));
        stub.respond(r -> r.streaming()
                ? StubResponse.content("There were 8 visits.")
                : StubResponse.code("result = int(df['visits'].sum())"));
        SseEvents again = SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body("{\"question\": \"Total visits?\"}")
                .post("/api/session/" + id + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals(8, again.done().get("raw_result").asInt(), "recovered on its own");
        given().get("/api/session/" + id).then().body("history.size()", is(1));
    }
}
