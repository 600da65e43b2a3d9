package io.llmanalytics.batch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analyst.openai.LlmGuard;
import io.llmanalytics.testing.Conditions;
import io.llmanalytics.testing.OwnJvm;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubRequest;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batches and clarifying questions over real HTTP on both sides: the service's endpoints, the project's
 * OpenAI-compatible stub as the model, the real validator and worker.
 */
@QuarkusTest
@OwnJvm
@TestProfile(BatchProfile.class)
class BatchTest {

    static final String SALES = """
            date,category,region,quantity,revenue
            2024-01-05,Electronics,North,2,600.0
            2024-01-06,Furniture,South,1,150.5
            2024-02-11,Electronics,North,1,999.5
            2024-02-12,Office,East,10,15.0
            2024-03-01,Furniture,West,4,400.0
            2024-03-02,Office,East,5,20.0
            """;
    /** The sum of quantity in {@link #SALES}. */
    static final int QUANTITY = 23;

    private static final Pattern QUESTION = Pattern.compile("Question: question (\\d+)");
    private static final Set<Integer> FAILING = Set.of(2, 5, 8);
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    LlmGuard guard;

    @BeforeEach
    void reset() {
        stub.reset();
        guard.breaker().reset();
    }

    /**
     * Question i's code: {@code quantity} summed plus i; questions 2 and 8 import what the validator refuses, question
     * 5 reads a column that does not exist, on every attempt.
     */
    private void scriptQuestions() {
        stub.respond(request -> {
            if (request.streaming()) {
                return StubResponse.content("The result is shown above.");
            }
            int i = questionOf(request);
            return StubResponse.code(
                    switch (i) {
                        case 2 -> "import os\nresult = 1";
                        case 5 -> "result = df['no_such_column'].sum()";
                        case 8 -> "import subprocess\nresult = 2";
                        default -> "result = int(df['quantity'].sum()) + " + i;
                    });
        });
    }

    private static int questionOf(StubRequest request) {
        Matcher m = QUESTION.matcher(request.userMessage());
        int found = -1;
        while (m.find()) {
            found = Integer.parseInt(m.group(1));
        }
        return found;
    }

    private static List<String> questions(int n) {
        List<String> questions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            questions.add("question " + i);
        }
        return questions;
    }

    private static String batch(String session, Object body, String accept, int status) {
        return given().contentType("application/json")
                .accept(accept)
                .body(body)
                .post("/api/session/" + session + "/batch")
                .then()
                .statusCode(status)
                .extract()
                .asString();
    }

    @Test
    void aStreamedBatchOfTenWithThreeFailingIndexesEveryEventAndEndsWithTheCounts() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        scriptQuestions();

        SseEvents events =
                SseEvents.parse(batch(session, Map.of("questions", questions(10)), "text/event-stream", 200));

        List<SseEvents.Event> all = events.events();
        SseEvents.Event last = events.last();
        assertEquals("batch_done", last.name(), events.names().toString());
        assertEquals(1, events.named("batch_done").size());
        assertEquals(10, last.data().get("total").asInt());
        assertEquals(7, last.data().get("answered").asInt());
        assertEquals(3, last.data().get("failed").asInt());
        assertEquals(0, last.data().get("declined").asInt());
        assertFalse(last.data().has("index"));
        int[] terminals = new int[10];
        for (SseEvents.Event e : all.subList(0, all.size() - 1)) {
            assertTrue(e.data().has("index"), "every event of a question has its index: " + e);
            int index = e.data().get("index").asInt();
            assertTrue(index >= 0 && index < 10, e.toString());
            if (e.name().equals("done")) {
                terminals[index]++;
                assertFalse(FAILING.contains(index), e.toString());
                assertEquals(QUANTITY + index, e.data().get("raw_result").asInt(), e.toString());
                assertEquals("question " + index, e.data().get("question").asText());
            } else if (e.name().equals("error")) {
                terminals[index]++;
                assertTrue(FAILING.contains(index), e.toString());
                assertEquals(422, e.data().get("status").asInt(), e.toString());
            }
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(1, terminals[i], "question " + i + " ends once, with done or error");
        }
        assertEquals(7, events.named("done").size());
        assertEquals(3, events.named("error").size());
        // each stored like any other interaction (the view shows the newest 10)
        given().get("/api/session/" + session).then().statusCode(200).body("history.size()", is(10));
    }

    @Test
    void aJsonBatchAnswersWithTheArrayInOrder() throws Exception {
        String session = Uploads.sessionOf("sales.csv", SALES);
        scriptQuestions();

        JsonNode answers = JSON.readTree(batch(session, Map.of("questions", questions(10)), "application/json", 200));

        assertEquals(10, answers.size());
        for (int i = 0; i < 10; i++) {
            JsonNode a = answers.get(i);
            if (FAILING.contains(i)) {
                assertEquals(422, a.get("status").asInt(), a.toString());
                assertTrue(a.get("type").asText().endsWith("analysis-failed"), a.toString());
            } else {
                assertEquals("question " + i, a.get("question").asText());
                assertEquals(QUANTITY + i, a.get("raw_result").asInt(), a.toString());
            }
        }
    }

    @Test
    void invalidBatchesAreRefusedWithA400BeforeAnyWork() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("questions", questions(11)))
                .post("/api/session/" + session + "/batch")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("1 to 10 questions"));
        given().contentType("application/json")
                .accept("application/json")
                .body(Map.of("questions", List.of()))
                .post("/api/session/" + session + "/batch")
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .accept("application/json")
                .body(Map.of("questions", List.of("how many rows?", "   ")))
                .post("/api/session/" + session + "/batch")
                .then()
                .statusCode(400)
                .body("detail", containsString("questions[1]"));
        assertTrue(stub.chatRequests().isEmpty(), "nothing was asked of the model");
    }

    @Test
    void aBatchRunsAtMostAsManyQuestionsAtOnceAsTheCallerHasSlots() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        stub.respond(request -> request.streaming()
                ? StubResponse.content("The result is shown above.")
                : StubResponse.code("result = int(df['quantity'].sum()) + " + (100 + questionOf(request)))
                        .delay(Duration.ofMillis(300)));

        SseEvents events = SseEvents.parse(batch(session, Map.of("questions", questions(6)), "text/event-stream", 200));

        assertEquals(
                6, events.last().data().get("answered").asInt(), events.last().toString());
        assertEquals(
                BatchProfile.SLOTS,
                stub.maxConcurrentRequests(),
                "two questions at once: the caller's two slots, not the batch's four");
    }

    @Test
    void aBatchWithNoSlotFreeIsRefusedWith429() throws Exception {
        String session = Uploads.sessionOf("sales.csv", SALES);
        CompletableFuture<Void> release = new CompletableFuture<>();
        stub.respond(request -> request.streaming()
                        ? StubResponse.content("The result is shown above.")
                        : StubResponse.code("result = 1"))
                .hold(i -> true, release);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> running = new ArrayList<>();
            for (int i = 0; i < BatchProfile.SLOTS; i++) {
                running.add(pool.submit(() -> given().contentType("application/json")
                        .accept("text/event-stream")
                        .body(Map.of("question", "question 1"))
                        .post("/api/session/" + session + "/analyze")
                        .asString()));
            }
            Conditions.until(
                    "two analyses wait for the model",
                    Duration.ofSeconds(30),
                    () -> stub.chatRequests().size() >= BatchProfile.SLOTS);

            given().contentType("application/json")
                    .accept("text/event-stream")
                    .body(Map.of("questions", questions(2)))
                    .post("/api/session/" + session + "/batch")
                    .then()
                    .statusCode(429)
                    .body("detail", containsString("at most 2 analyses running at once"));

            release.complete(null);
            for (Future<String> f : running) {
                assertEquals("done", SseEvents.parse(f.get()).last().name());
            }
        } finally {
            release.complete(null);
            pool.shutdownNow();
        }
    }

    @Test
    void aClarificationFromTheModelEndsTheStreamAndIsStored() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        stub.respond(request -> StubResponse.content("""
                ```json
                {"clarification": {"question": "Which amount do you mean?",
                  "options": ["What is the total revenue?", "What is the total quantity?"]}}
                ```"""));

        SseEvents events = SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", "What is the total amount?"))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());

        assertEquals(List.of("status:generating", "clarification", "done"), events.sequence());
        JsonNode clarification = events.named("clarification").get(0).data();
        assertEquals("Which amount do you mean?", clarification.get("question").asText());
        assertEquals(2, clarification.get("options").size());
        JsonNode done = events.done();
        assertTrue(done.get("generated_code").isNull());
        assertTrue(done.get("raw_result").isNull());
        assertEquals(
                "What is the total quantity?",
                done.get("clarification").get("options").get(1).asText());
        assertEquals(1, stub.chatRequests().size(), "no interpretation of a clarification");
        assertTrue(
                stub.chatRequests().get(0).systemMessage().contains("{\"clarification\": {\"question\": \"...\""),
                stub.chatRequests().get(0).systemMessage());
        given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .body("history.size()", is(1))
                .body("history[0].clarification.question", is("Which amount do you mean?"))
                .body("history[0].clarification.options[0]", is("What is the total revenue?"));
    }

    @Test
    void aClarificationInABatchCountsAsDeclined() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        stub.respond(request -> {
            if (request.streaming()) {
                return StubResponse.content("The result is shown above.");
            }
            return questionOf(request) == 1
                    ? StubResponse.content(
                            "{\"clarification\": {\"question\": \"Which one?\", \"options\": [\"question 0\", \"question 3\"]}}")
                    : StubResponse.code("result = 7");
        });

        SseEvents events = SseEvents.parse(batch(session, Map.of("questions", questions(2)), "text/event-stream", 200));

        JsonNode counts = events.last().data();
        assertEquals(1, counts.get("answered").asInt(), counts.toString());
        assertEquals(1, counts.get("declined").asInt(), counts.toString());
        SseEvents.Event clarification = events.named("clarification").get(0);
        assertEquals(1, clarification.data().get("index").asInt());
    }

    @Test
    void aMalformedClarificationIsAModelErrorNeverShownRaw() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        stub.respond(request -> StubResponse.content(
                "```json\n{\"clarification\": {\"question\": \"Which?\", \"options\": [\"only <b>one</b>\"]}}\n```"));

        SseEvents events = SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", "What is the total amount?"))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());

        assertTrue(events.named("clarification").isEmpty());
        JsonNode error = events.last().data();
        assertEquals("error", events.last().name());
        assertEquals(503, error.get("status").asInt(), error.toString());
        assertTrue(error.get("detail").asText().contains("clarifying question"), error.toString());
        assertFalse(error.toString().contains("<b>one</b>"), "the model's text is never shown raw");
        assertNotNull(error.get("type"));
        Set<String> names = new HashSet<>(events.names());
        assertFalse(names.contains("done"));
    }
}
