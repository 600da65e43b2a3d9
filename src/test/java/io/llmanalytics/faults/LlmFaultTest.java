package io.llmanalytics.faults;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.openai.LlmGuard;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The language model down (connection refused), slow (no answer within the timeout) or answering garbage (not JSON, a
 * stream cut short, no code), seen through the public API: what the user saw (a terminal {@code error} event with
 * problem fields, or a successful retry), that nothing hangs, what the session's history holds (never an answer for a
 * failed run), and that the service recovers on its own once the model is back. The LLM layer's own retry, timeout and
 * breaker rules are tested in LlmResilienceTest; this class is about the analysis a person runs.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class LlmFaultTest {

    private static final String CSV = "city,visits\nOslo,3\nLima,5\n";
    /** Generous: the profile's call timeout is 5 s and a failed call is tried 3 times. */
    private static final Duration NO_HANG = Duration.ofSeconds(60);

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    LlmGuard guard;

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void reset() {
        stub.reset();
        guard.breaker().reset();
    }

    private void answerNormally() {
        stub.respond(r -> r.streaming()
                ? StubResponse.content("There were 8 visits.")
                : StubResponse.code("result = int(df['visits'].sum())"));
    }

    /** One analysis over SSE, failing the test if it does not end within {@link #NO_HANG}. */
    private Timed ask(String session) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/session/" + session + "/analyze"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"How many visits in total?\"}"))
                .build();
        long start = System.nanoTime();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get(NO_HANG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            return new Timed(SseEvents.parse(response.body()), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private record Timed(SseEvents events, Duration took) {}

    /** The terminal error event carries the problem fields, and nothing claimed an answer. */
    private static JsonNode assertProblemEvent(SseEvents events, int status, String type) {
        assertEquals("error", events.last().name(), events.names().toString());
        assertFalse(events.names().contains("done"));
        assertEquals(1, events.names().stream().filter(n -> n.equals("error")).count());
        JsonNode error = events.last().data();
        assertEquals(status, error.path("status").asInt(), error.toString());
        assertTrue(error.path("type").asText().endsWith(type), error.toString());
        assertFalse(error.path("title").asText().isBlank(), error.toString());
        assertTrue(error.path("detail").asText().length() > 20, error.toString());
        assertFalse(error.path("conversation_id").asText().isBlank(), error.toString());
        assertFalse(error.toString().contains("Exception"), "no stack trace or exception class: " + error);
        return error;
    }

    /** The failed run is in the history as a failure with the same detail, never as an answer. */
    private static void assertStoredAsFailure(String session, JsonNode error) {
        Response stored = given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .extract()
                .response();
        List<Object> history = stored.jsonPath().getList("history");
        assertEquals(1, history.size(), stored.asString());
        assertEquals(error.path("conversation_id").asText(), stored.jsonPath().getString("history[0].id"));
        assertEquals(error.path("detail").asText(), stored.jsonPath().getString("history[0].error"));
        assertNull(stored.jsonPath().get("history[0].interpretation"), "no answer stored for a failed run");
        assertNull(stored.jsonPath().get("history[0].raw_result"), "no result stored for a failed run");
    }

    /** Once the model answers again the next analysis succeeds by itself (the breaker closes after its delay). */
    private void assertRecovers(String session) throws Exception {
        answerNormally();
        AtomicReference<SseEvents> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last.set(ask(session).events());
                    return "done".equals(last.get().last().name());
                });
        SseEvents events = last.get();
        assertEquals(8, events.done().path("raw_result").asInt());
        assertEquals(
                "There were 8 visits.", events.done().path("interpretation").asText());
    }

    @Test
    void anEndpointThatRefusesConnectionsEndsTheStreamWith503AndRecovers() throws Exception {
        String session = Uploads.sessionOf("down.csv", CSV);
        answerNormally();
        stub.stopListening();
        Timed run;
        try {
            run = ask(session);
            assertTrue(stub.chatRequests().isEmpty(), "nothing reached the model");
            JsonNode error = assertProblemEvent(run.events(), 503, "llm-unavailable");
            assertTrue(run.events().named("code").isEmpty()
                    && run.events().named("execution").isEmpty());
            assertStoredAsFailure(session, error);
            // a JSON client gets the same as problem+json
            given().contentType("application/json")
                    .accept("application/json")
                    .body("{\"question\": \"How many visits in total?\"}")
                    .post("/api/session/" + session + "/analyze")
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", containsString("llm-unavailable"))
                    .body("detail", containsString(""));
        } finally {
            stub.listenAgain();
        }
        assertRecovers(session);
    }

    @Test
    void aModelThatNeverAnswersInTimeEndsWithATimeoutNotAHang() throws Exception {
        String session = Uploads.sessionOf("slow.csv", CSV);
        stub.respond(r -> StubResponse.code("result = 1").delay(Duration.ofSeconds(30)));
        Timed run = ask(session);
        // one attempt times out after the profile's 5 s call timeout; a timeout is not retried, and one failure in
        // the breaker's window of 4 leaves it closed: always a timeout (504), never "unavailable" (503)
        JsonNode error = assertProblemEvent(run.events(), 504, "timeout");
        assertTrue(error.path("detail").asText().contains("no answer within 5 s"), error.toString());
        assertTrue(
                run.took().compareTo(Duration.ofSeconds(29)) < 0,
                "gave up well before the model's 30 s answer: " + run.took());
        assertTrue(run.events().comments() >= 1, "heartbeats kept the idle stream alive meanwhile");
        assertStoredAsFailure(session, error);
        stub.chatRequests().forEach(r -> {
            try {
                r.closedEarly().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the slow call " + r.index() + " was not cancelled", e);
            }
        });
        assertRecovers(session);
    }

    @Test
    void malformedAnswersAreAClearErrorAndTheNextQuestionIsAnswered() throws Exception {
        String session = Uploads.sessionOf("garbage.csv", CSV);
        answerNormally();
        stub.enqueue(StubResponse.malformed(), StubResponse.malformed(), StubResponse.malformed());
        Timed run = ask(session);
        JsonNode error = assertProblemEvent(run.events(), 503, "llm-unavailable");
        assertTrue(error.path("detail").asText().contains("malformed"), error.toString());
        assertTrue(run.events().named("code").isEmpty(), "nothing was taken from the garbage");
        assertStoredAsFailure(session, error);
        SseEvents next = ask(session).events();
        assertEquals(8, next.done().path("raw_result").asInt(), "the next question is answered, no restart needed");
        given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .body("history.size()", is(2))
                .body("history[1].raw_result", is(8))
                .body("history[1].error", is((Object) null));
    }

    @Test
    void anAnswerWithoutCodeIsRetriedThenAClearError() throws Exception {
        String session = Uploads.sessionOf("nocode.csv", CSV);
        stub.respond(r -> StubResponse.content("I am sorry, I cannot help with spreadsheets today."));
        Timed run = ask(session);
        assertEquals(3, run.events().named("validation").size(), "each attempt was refused as holding no code");
        assertTrue(run.events().named("execution").isEmpty(), "nothing ran");
        JsonNode error = assertProblemEvent(run.events(), 422, "analysis-failed");
        assertTrue(error.path("detail").asText().contains("3 attempts"), error.toString());
        assertStoredAsFailure(session, error);

        stub.reset();
        stub.enqueue(StubResponse.content("Let me think about it."));
        answerNormally();
        SseEvents retried = ask(session).events();
        assertEquals(8, retried.done().path("raw_result").asInt(), "a second attempt with code answers");
        assertEquals(2, retried.named("code").size());
    }

    @Test
    void aTruncatedOrGarbledInterpretationStreamFallsBackToAGroundedAnswer() throws Exception {
        for (StubResponse broken : List.of(
                StubResponse.cutAfter("There were 8 visits in", 3),
                StubResponse.malformed(),
                StubResponse.raw("data: {\"choices\": [{\"delta\": {\"content\": \"Th"))) {
            stub.reset();
            guard.breaker().reset();
            String session = Uploads.sessionOf("cut.csv", CSV);
            stub.respond(r -> r.streaming() ? broken : StubResponse.code("result = int(df['visits'].sum())"));
            SseEvents events = ask(session).events();
            JsonNode done = events.done();
            assertEquals(8, done.path("raw_result").asInt());
            String interpretation = done.path("interpretation").asText();
            assertTrue(interpretation.contains("8"), "the fallback states the result: " + interpretation);
            assertFalse(events.interpretation().contains("There were 8 visits in"), "a partial text was withdrawn");
            if (!events.named("interpretation").isEmpty()
                    && !events.interpretation().isEmpty()) {
                assertEquals(interpretation, events.interpretation(), "what streamed is what the done document says");
            }
            given().get("/api/session/" + session)
                    .then()
                    .statusCode(200)
                    .body("history.size()", is(1))
                    .body("history[0].interpretation", is(interpretation))
                    .body("history[0].raw_result", is(8));
        }
    }
}
