package io.llmanalytics.verified;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubRequest;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verified answers through the public API against the stub model: verify, undo, feedback and their bad input; the
 * metrics; reuse of the same question on unchanged data (run again, {@code verified: true}), close questions' examples
 * in the prompt the stub received, no reuse once the data changed; evaluation after a "model change" that breaks two
 * of five verified answers reports exactly those two.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class VerifiedApiTest {

    static final String ORDERS = "region,amount\nNorth,10\nSouth,20\nNorth,5\n";
    static final String MORE = "region,amount\nEast,1\n";

    @InjectOpenAiStub
    OpenAiStub stub;

    /** The code the stub writes for each question (the question ends the user message). */
    private final Map<String, String> codes = new LinkedHashMap<>();

    @BeforeEach
    void reset() {
        stub.reset();
        codes.clear();
        stub.respond(r -> {
            if (r.streaming()) {
                return StubResponse.content("Here it is.");
            }
            String user = lastUserMessage(r);
            return codes.entrySet().stream()
                    .filter(e -> user.endsWith("Question: " + e.getKey()))
                    .map(e -> StubResponse.code(e.getValue()))
                    .findFirst()
                    .orElse(StubResponse.status(500));
        });
    }

    private static String lastUserMessage(StubRequest r) {
        List<String> users = r.messages("user");
        return users.isEmpty() ? "" : users.get(users.size() - 1).strip();
    }

    static String upload(String csv) {
        return given().multiPart("file", "orders.csv", csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/create")
                .then()
                .statusCode(201)
                .extract()
                .path("session_id");
    }

    static SseEvents stream(String session, String question) {
        return SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", question))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    /** Asks with the stub writing {@code code}; the done event's data. */
    JsonNode ask(String session, String question, String code) {
        codes.put(question, code);
        JsonNode done = stream(session, question).done();
        assertTrue(done.get("error").isNull(), done.toString());
        return done;
    }

    static JsonPath verify(String session, String iid, int status) {
        return given().post("/api/session/" + session + "/interactions/" + iid + "/verify")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    static JsonPath feedback(String session, String iid, Object body, int status) {
        return given().contentType("application/json")
                .body(body)
                .post("/api/session/" + session + "/interactions/" + iid + "/feedback")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    static double metric(String name, String tag) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile(
                        "(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(tag) + "[^}]*\\} (\\S+)$")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void verifyUndoAndFeedbackWithTheirBadInputAndMetrics() {
        String session = upload(ORDERS);
        String iid = ask(session, "What is the total amount?", "result = int(df['amount'].sum())")
                .get("conversation_id")
                .asText();
        double verifiedBefore = metric("answers_verified_total", "action=\"verified\"");
        double upBefore = metric("answers_feedback_total", "rating=\"up\"");

        JsonPath verified = verify(session, iid, 200);
        assertEquals(iid, verified.getString("interaction_id"));
        assertEquals("What is the total amount?", verified.getString("question"));
        assertEquals("result = int(df['amount'].sum())", verified.getString("code"));
        assertTrue(verified.getString("fingerprint").matches("sha256:[0-9a-f]{64}"), verified.prettify());
        assertEquals("orders", verified.getString("datasets[0].name"));
        assertEquals(64, verified.getString("datasets[0].content_hash").length());
        assertEquals(1.0, metric("answers_verified_total", "action=\"verified\"") - verifiedBefore);

        JsonPath rated = feedback(session, iid, Map.of("rating", "up", "comment", "right figure"), 200);
        assertEquals("up", rated.getString("rating"));
        assertEquals(1.0, metric("answers_feedback_total", "rating=\"up\"") - upBefore);
        JsonPath view = given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(view.getBoolean("marks.'" + iid + "'.verified"), view.prettify());
        assertEquals("right figure", view.getString("marks.'" + iid + "'.feedback.comment"));
        assertEquals(
                1,
                given().get("/api/session/" + session + "/verified")
                        .jsonPath()
                        .getList("verified")
                        .size());

        // bad input: 400 naming the problem, 404 unknown, 409 for an interaction without an answer
        assertTrue(feedback(session, iid, Map.of("rating", "meh"), 400)
                .getString("detail")
                .contains("rating"));
        assertTrue(feedback(session, iid, Map.of("rating", "down", "comment", "x".repeat(1001)), 400)
                .getString("detail")
                .contains("comment must be at most 1000"));
        given().contentType("application/json")
                .post("/api/session/" + session + "/interactions/" + iid + "/feedback")
                .then()
                .statusCode(400);
        verify(session, "no-such-interaction", 404);
        feedback(session, "no-such-interaction", Map.of("rating", "up"), 404);
        verify("no-such-session", iid, 404);
        codes.put("Divide by nothing?", "result = 1 / 0");
        SseEvents failed = stream(session, "Divide by nothing?");
        String failedId = failed.last().data().get("conversation_id").asText();
        assertEquals("error", failed.last().name());
        assertTrue(verify(session, failedId, 409).getString("detail").contains("Only answers computed by code"));

        // undo
        given().delete("/api/session/" + session + "/interactions/" + iid + "/verify")
                .then()
                .statusCode(204);
        given().delete("/api/session/" + session + "/interactions/" + iid + "/verify")
                .then()
                .statusCode(404);
        view = given().get("/api/session/" + session).then().extract().jsonPath();
        assertFalse(view.getBoolean("marks.'" + iid + "'.verified"), view.prettify());
        assertEquals("up", view.getString("marks.'" + iid + "'.feedback.rating"));

        // deleted with the session
        given().delete("/api/session/" + session).then().statusCode(204);
        given().get("/api/session/" + session + "/verified").then().statusCode(404);
    }

    @Test
    void sameQuestionReusesVerifiedCodeCloseOnesGetItAsExampleChangedDataDoesNot() {
        String session = upload(ORDERS);
        String code = "result = df.groupby('region')['amount'].sum()";
        String iid = ask(session, "What is the total amount by region?", code)
                .get("conversation_id")
                .asText();
        verify(session, iid, 200);

        // a close question: the prompt carries the verified question and code, quoted as data
        stub.reset();
        reset();
        ask(
                session,
                "What is the total amount by region for North?",
                "result = int(df[df.region == 'North'].amount.sum())");
        String prompt = lastUserMessage(codeRequests().get(0));
        assertTrue(prompt.contains("<verified_examples>"), prompt);
        assertTrue(prompt.contains("1. Question: \"What is the total amount by region?\""), prompt);
        assertTrue(prompt.contains("Code: \"result = df.groupby('region')['amount'].sum()\""), prompt);
        assertTrue(
                stub.chatRequests().get(0).messages("system").get(0).contains("<verified_examples>"),
                "the system message declares the block to be data");

        // the same question (normalised equal) on unchanged data: the verified code, run again, no model call for code
        stub.reset();
        reset();
        SseEvents events = stream(session, "what is the TOTAL amount by region");
        JsonNode done = events.done();
        assertTrue(done.get("verified").asBoolean(), done.toString());
        assertEquals(iid, done.get("verified_from").asText());
        assertEquals(code, done.get("generated_code").asText());
        assertEquals(List.of(), codeRequests(), "no code was generated");
        JsonNode execution = events.named("execution").get(0).data();
        assertTrue(execution.get("success").asBoolean());
        assertNull(execution.get("cached"), "run again, not taken from the result cache: " + execution);
        assertTrue(events.named("reading")
                .get(0)
                .data()
                .get("text")
                .asText()
                .contains("Reused the verified answer " + iid));
        assertEquals(15, done.get("raw_result").get("data").get("North").asInt());

        // the data changed (a dataset added): no reuse; the model writes the code (the verified one is an example)
        given().multiPart("file", "more.csv", MORE.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/" + session + "/datasets")
                .then()
                .statusCode(201);
        stub.reset();
        reset();
        JsonNode again = ask(session, "What is the total amount by region?", code);
        assertNull(again.get("verified"), again.toString());
        assertEquals(1, codeRequests().size());
        assertTrue(lastUserMessage(codeRequests().get(0)).contains("<verified_examples>"));
    }

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig config;

    private ReactiveMongoCollection<Document> sessions() {
        return client.getDatabase(config.database()).getCollection("sessions");
    }

    /** The session document's mark that it may have verified answers (null when it has none). */
    private Object mark(String session) {
        return sessions()
                .find(Filters.eq("_id", session))
                .collect()
                .first()
                .await()
                .atMost(Duration.ofSeconds(30))
                .get("verifiedAnswers");
    }

    /** Asks {@code question} (the stub writing {@code code}); whether a verified answer was reused. */
    private boolean reused(String session, String question, String code) {
        codes.put(question, code);
        JsonNode done = stream(session, question).done();
        assertTrue(done.get("error").isNull(), done.toString());
        return done.has("verified") && done.get("verified").asBoolean();
    }

    @Test
    void everyVerificationAndUndoIsSeenByTheNextQuestionAlsoOnASessionStoredBeforeTheMark() {
        String session = upload(ORDERS);
        String code = "result = df.groupby('region')['amount'].sum()";
        String question = "What is the total amount by region?";
        assertEquals(false, mark(session), "a new session has no verified answers");
        assertFalse(reused(session, question, code));
        String iid = ask(session, question, code).get("conversation_id").asText();

        verify(session, iid, 200);
        assertEquals(true, mark(session));
        assertTrue(reused(session, question, code), "the next question sees the verification");

        given().delete("/api/session/" + session + "/interactions/" + iid + "/verify")
                .then()
                .statusCode(204);
        assertEquals(false, mark(session), "cleared with the last verified answer");
        assertFalse(reused(session, question, code), "the next question sees the undo");

        verify(session, iid, 200);
        assertTrue(reused(session, question, code), "and the verification again");

        // a session stored before the mark (no such field): its verified answers are looked up as before
        sessions()
                .updateOne(Filters.eq("_id", session), Updates.unset("verifiedAnswers"))
                .await()
                .atMost(Duration.ofSeconds(30));
        assertNull(mark(session));
        assertTrue(reused(session, question, code), "looked up without the mark");
        given().delete("/api/session/" + session + "/interactions/" + iid + "/verify")
                .then()
                .statusCode(204);
        assertFalse(reused(session, question, code));
    }

    private List<StubRequest> codeRequests() {
        return stub.chatRequests().stream().filter(r -> !r.streaming()).toList();
    }

    @Test
    void evaluationAfterAModelChangeReportsExactlyTheTwoBrokenAnswers() {
        String session = upload(ORDERS);
        given().accept("application/json")
                .post("/api/session/" + session + "/evaluate")
                .then()
                .statusCode(409);
        SseEvents refused = SseEvents.parse(given().accept("text/event-stream")
                .post("/api/session/" + session + "/evaluate")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals(List.of("error"), refused.names());
        assertEquals(409, refused.last().data().get("status").asInt());
        Map<String, String> first = new LinkedHashMap<>();
        first.put("What is the total amount?", "result = int(df['amount'].sum())");
        first.put("How many orders are there?", "result = len(df)");
        first.put("What is the largest amount?", "result = int(df['amount'].max())");
        first.put("What is the total amount by region?", "result = df.groupby('region')['amount'].sum()");
        first.put("What is the mean amount?", "result = float(df['amount'].mean())");
        first.forEach((question, code) -> {
            String iid = ask(session, question, code).get("conversation_id").asText();
            verify(session, iid, 200);
        });

        // the "new model": two answers change, one is written differently with the same value
        stub.reset();
        reset();
        codes.putAll(first);
        codes.put("How many orders are there?", "result = len(df) - 1");
        codes.put("What is the mean amount?", "result = float(df['amount'].median())");
        codes.put("What is the largest amount?", "result = float(df.amount.max())");
        JsonPath evaluation = given().accept("application/json")
                .post("/api/session/" + session + "/evaluate")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(5, evaluation.getInt("total"), evaluation.prettify());
        assertEquals(3, evaluation.getInt("equal"), evaluation.prettify());
        assertEquals(2, evaluation.getInt("different"), evaluation.prettify());
        assertEquals(0, evaluation.getInt("failed"), evaluation.prettify());
        assertEquals("openai", evaluation.getString("analyst"));
        List<Map<String, Object>> items = evaluation.getList("items");
        assertEquals(
                Set.of("How many orders are there?", "What is the mean amount?"),
                items.stream()
                        .filter(i -> "different".equals(i.get("outcome")))
                        .map(i -> (String) i.get("question"))
                        .collect(Collectors.toSet()));
        // no question was shown its own verified answer as an example
        for (StubRequest r : codeRequests()) {
            String user = lastUserMessage(r);
            String question = user.substring(user.lastIndexOf("Question: ") + "Question: ".length());
            assertFalse(user.contains("Question: \"" + question + "\""), user);
        }

        // the stream form: one item per question, then the evaluation
        String body = given().accept("text/event-stream")
                .post("/api/session/" + session + "/evaluate")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        SseEvents events = SseEvents.parse(body);
        assertEquals(5, events.named("evaluation_item").size(), body);
        assertEquals("evaluation_done", events.last().name());
        assertEquals(2, events.last().data().get("different").asInt());
        assertEquals(
                "different",
                events.named("evaluation_item").get(1).data().get("outcome").asText());

        List<Map<String, Object>> kept = given().get("/api/session/" + session + "/evaluations")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("evaluations");
        assertEquals(2, kept.size());
        assertEquals(events.last().data().get("id").asText(), kept.get(0).get("id"), "newest first");
    }
}
