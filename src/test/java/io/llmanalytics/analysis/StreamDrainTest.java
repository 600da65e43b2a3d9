package io.llmanalytics.analysis;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.observability.RequestIds;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown of the event streams: once shutdown starts, new analyses are refused with a 503 problem (and a
 * Retry-After), streams that finish within the drain timeout end normally, and those still open at the deadline end
 * with a {@code shutting-down} error event, their model call cancelled, rather than a cut connection.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class StreamDrainTest {

    static final String CSV = "category,revenue\nBooks,12.5\nGames,40\nBooks,7.5\n";
    static final String CODE = "result = df.groupby('category')['revenue'].sum()";

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    StreamDrain drain;

    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdownStarting;

    @TestHTTPResource("/")
    URI base;

    @AfterEach
    void resume() {
        drain.resume();
        stub.reset();
    }

    private CompletableFuture<HttpResponse<String>> stream(String session) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/session/" + session + "/analyze"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"Revenue by category?\"}"))
                .build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void streamsStillOpenAtTheDeadlineEndWithAnErrorEvent() throws Exception {
        String session = Uploads.sessionOf("drain.csv", CSV);
        stub.respond(r -> StubResponse.code(CODE).delay(Duration.ofSeconds(20)));
        CompletableFuture<HttpResponse<String>> response = stream(session);
        assertTrue(stub.awaitRequests(1, Duration.ofSeconds(10)), "the model was asked");
        assertEquals(1, drain.openStreams());
        long start = System.nanoTime();
        drain.begin(Duration.ofMillis(300));
        HttpResponse<String> r = response.get(10, TimeUnit.SECONDS);
        assertTrue(
                System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5),
                "ended at the deadline, not at the end " + "of the model call");
        assertEquals(200, r.statusCode());
        SseEvents events = SseEvents.parse(r.body());
        assertEquals(List.of("status:generating", "error"), events.sequence(), "a terminal event, not a cut");
        JsonNode error = events.last().data();
        assertEquals(ProblemType.SHUTTING_DOWN.uri(), error.path("type").asText());
        assertEquals(503, error.path("status").asInt());
        assertTrue(error.path("detail").asText().contains("another instance"));
        stub.requests().get(0).closedEarly().get(5, TimeUnit.SECONDS);
        assertEquals(0, drain.openStreams(), "the stream is deregistered");
    }

    @Test
    void streamsThatFinishWithinTheDrainTimeoutEndNormally() throws Exception {
        String session = Uploads.sessionOf("drain.csv", CSV);
        stub.respond(r -> r.streaming()
                ? StubResponse.content("Books and games.")
                : StubResponse.code(CODE).delay(Duration.ofMillis(800)));
        CompletableFuture<HttpResponse<String>> response = stream(session);
        assertTrue(stub.awaitRequests(1, Duration.ofSeconds(10)));
        drain.begin(Duration.ofSeconds(30));
        SseEvents events = SseEvents.parse(response.get(30, TimeUnit.SECONDS).body());
        assertEquals("done", events.last().name(), events.names().toString());
        assertEquals(
                1,
                events.names().stream()
                        .filter(n -> n.equals("done") || n.equals("error"))
                        .count());
    }

    @Test
    void newAnalysesAreRefusedWhileDrainingWithTheRequestIdInProblemAndLogs() {
        String session = Uploads.sessionOf("drain.csv", CSV);
        Captured logs = Captured.install();
        try {
            drain.begin(Duration.ofSeconds(30));
            Response sse = given().header(RequestIds.HEADER, "drain-1")
                    .contentType("application/json")
                    .accept("text/event-stream")
                    .body("{\"question\": \"Revenue?\"}")
                    .post("/api/session/" + session + "/analyze");
            sse.then().statusCode(503).contentType("application/problem+json").header("Retry-After", "1");
            assertEquals(ProblemType.SHUTTING_DOWN.uri(), sse.jsonPath().getString("type"));
            assertEquals("drain-1", sse.jsonPath().getString("request_id"));
            given().contentType("application/json")
                    .accept("application/json")
                    .body("{\"question\": \"Revenue?\"}")
                    .post("/api/session/" + session + "/analyze")
                    .then()
                    .statusCode(503);
            assertTrue(
                    logs.requestIds.contains("drain-1"),
                    "the warning logged for the 503 carries the request id " + "in its MDC: " + logs.requestIds);
        } finally {
            logs.remove();
        }
        drain.resume();
        given().contentType("application/json")
                .accept("application/json")
                .body("{\"question\": \"\"}")
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(400);
    }

    @Test
    void quarkusShutdownStartsTheDrain() {
        String session = Uploads.sessionOf("drain.csv", CSV);
        shutdownStarting.fire(new ShutdownDelayInitiatedEvent());
        given().contentType("application/json")
                .accept("text/event-stream")
                .body("{\"question\": \"Revenue?\"}")
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(503);
    }

    /** Captures the request ids in the MDC of warnings logged by the service while installed. */
    static final class Captured extends Handler {
        final List<String> requestIds = new CopyOnWriteArrayList<>();
        private final Logger logger = Logger.getLogger("io.llmanalytics");

        static Captured install() {
            Captured c = new Captured();
            c.setLevel(Level.WARNING);
            c.logger.addHandler(c);
            return c;
        }

        void remove() {
            logger.removeHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext && record.getLevel().intValue() >= Level.WARNING.intValue()) {
                String id = ext.getMdc(RequestIds.KEY);
                if (id != null) {
                    requestIds.add(id);
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
