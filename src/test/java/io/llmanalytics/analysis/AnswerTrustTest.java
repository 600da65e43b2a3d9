package io.llmanalytics.analysis;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.session.ChartStore;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers people can trust, end to end with the OpenAI-compatible stub, the real validator and the real worker: the
 * model's reading is shown before the result and kept; a text written from a cut result is checked against the whole
 * result; charts are stored with their answer, served, and deleted with their session; bad analyze bodies get precise
 * problems.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class AnswerTrustTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String SALES = """
            date,category,region,quantity,revenue
            2024-01-05,Electronics,North,2,600.0
            2024-01-06,Furniture,South,1,150.5
            2024-02-11,Electronics,North,1,999.5
            2024-02-12,Office,East,10,15.0
            """;

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    ChartStore charts;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    private void answers(String code, String text) {
        stub.respond(r -> r.streaming() ? StubResponse.content(text) : StubResponse.code(code));
    }

    private static SseEvents ask(String session, String question) {
        return SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", question))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    private static JsonNode history(String session) throws Exception {
        return JSON.readTree(given().get("/api/session/" + session)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .get("history");
    }

    @Test
    void theModelsReadingComesBeforeTheResultAndIsKept() throws Exception {
        String session = Uploads.sessionOf("sales.csv", SALES);
        answers(
                "# Reading: sum of revenue per category, all rows\nresult = df.groupby('category')['revenue'].sum()",
                "Electronics leads with 1599.5.");
        SseEvents events = ask(session, "What is the total revenue by category?");
        List<String> names = events.names();
        assertEquals(1, names.stream().filter("reading"::equals).count(), names.toString());
        assertTrue(
                names.indexOf("reading") > names.indexOf("execution")
                        && names.indexOf("reading") < names.indexOf("result"),
                "the reading comes right before the result: " + names);
        assertEquals(
                "sum of revenue per category, all rows",
                events.named("reading").get(0).data().get("text").asText());
        JsonNode done = events.done();
        assertEquals(
                "sum of revenue per category, all rows", done.get("reading").asText());
        assertEquals(
                "sum of revenue per category, all rows",
                history(session).get(0).get("reading").asText());

        // the JSON answer carries it too
        JsonNode json = JSON.readTree(given().contentType("application/json")
                .accept("application/json")
                .body(Map.of("question", "What is the total revenue by category?"))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals(
                "sum of revenue per category, all rows", json.get("reading").asText());
    }

    @Test
    void withoutAStatedReadingThereIsNoReadingEvent() throws Exception {
        String session = Uploads.sessionOf("sales.csv", SALES);
        answers("# the total\nresult = df['revenue'].sum()", "The total is 1765.");
        SseEvents events = ask(session, "What is the total revenue?");
        assertFalse(events.names().contains("reading"), events.names().toString());
        assertTrue(events.done().get("reading").isNull());
        assertTrue(history(session).get(0).get("reading") == null
                || history(session).get(0).get("reading").isNull());
        assertTrue(
                stub.requests().stream()
                        .filter(r -> !r.streaming())
                        .allMatch(r -> r.systemMessage().contains("# Reading:")),
                "the prompt asks for the reading line");
    }

    /** 731 days of revenue: the highest and lowest days lie beyond the first 100 (the client's sample). */
    static String ledger() {
        StringBuilder csv = new StringBuilder("day,revenue\n");
        LocalDate day = LocalDate.of(2023, 1, 1);
        for (int i = 0; i < 731; i++) {
            double revenue = 1000 + (i * 37 % 101);
            if (i == 500) {
                revenue = 99_999;
            } else if (i == 600) {
                revenue = 3;
            }
            csv.append(day.plusDays(i)).append(',').append(revenue).append('\n');
        }
        return csv.toString();
    }

    @Test
    void aTextWrittenFromTheSampleIsRejectedAndTheFallbackNamesTheWholeResultsExtremes() throws Exception {
        String session = Uploads.sessionOf("days.csv", ledger());
        // the sum of the first 100 days only: a number of the sample, not of the whole result
        double sampleTotal = 0;
        for (int i = 0; i < 100; i++) {
            sampleTotal += 1000 + (i * 37 % 101);
        }
        String wrong = String.format(java.util.Locale.ROOT, "Revenue totals %,.0f over the period.", sampleTotal);
        answers("result = df.groupby('day')['revenue'].sum()", wrong);
        SseEvents events = ask(session, "What is the total revenue per day?");
        JsonNode result = events.named("result").get(0).data();
        assertTrue(result.get("truncated").asBoolean(), "the client gets a sample: " + result);
        assertEquals(731, result.get("result").get("length").asInt());
        JsonNode done = events.done();
        assertFalse(
                done.get("grounding").get("ok").asBoolean(),
                done.get("grounding").toString());
        String text = done.get("interpretation").asText();
        assertFalse(text.contains(String.format(java.util.Locale.ROOT, "%,.0f", sampleTotal)), text);
        assertTrue(text.contains("99,999") && text.contains("2024-05-15"), "the true highest day: " + text);
        assertTrue(text.contains("(2024-08-23") && text.contains(" 3 "), "the true lowest day: " + text);
        assertFalse(text.contains("among the"), text);

        // a text stating the whole result's total and highest day is grounded although neither is in the sample
        double total = 0;
        for (int i = 0; i < 731; i++) {
            total += i == 500 ? 99_999 : i == 600 ? 3 : 1000 + (i * 37 % 101);
        }
        String right = String.format(
                java.util.Locale.ROOT, "Revenue totals %,.0f; the best day was 2024-05-15 with 99,999.", total);
        answers("result = df.groupby('day')['revenue'].sum()", right);
        JsonNode grounded =
                ask(session, "What is the total revenue per day, again?").done();
        assertTrue(grounded.get("grounding").get("ok").asBoolean(), grounded.toString());
        assertEquals(right, grounded.get("interpretation").asText());
    }

    static final String CHART = """
            s = df.groupby('category')['revenue'].sum()
            s.plot(kind='bar', title='Revenue by category')
            result = s""";

    @Test
    void chartsAreStoredWithTheirAnswerServedAndDeletedWithTheSession() throws Exception {
        String session = Uploads.sessionOf("sales.csv", SALES);
        answers(CHART, "Electronics leads with 1599.5.");
        JsonNode done = ask(session, "Revenue by category as a chart?").done();
        String iid = done.get("conversation_id").asText();
        byte[] drawn =
                Base64.getDecoder().decode(done.get("charts").get(0).get("data").asText());

        JsonNode stored = history(session).get(0).get("charts");
        assertEquals(1, stored.size(), stored.toString());
        JsonNode chart = stored.get(0);
        assertEquals("image/png", chart.get("mime").asText());
        assertTrue(chart.get("width").asInt() > 100 && chart.get("height").asInt() > 100, chart.toString());
        assertEquals("bar", chart.get("plot").get("axes").get(0).get("kind").asText());
        String href = chart.get("href").asText();
        assertEquals("/api/session/" + session + "/interactions/" + iid + "/charts/0", href);
        assertNull(chart.get("data"), "the image is not in the session document");

        Response image = given().get(href);
        image.then().statusCode(200).contentType("image/png").header("X-Content-Type-Options", "nosniff");
        assertArrayEquals(drawn, image.asByteArray(), "the image as drawn");

        given().get("/api/session/" + session + "/interactions/" + iid + "/charts/1")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no chart 1"));
        given().get("/api/session/" + session + "/interactions/nope/charts/0")
                .then()
                .statusCode(404);
        given().get("/api/session/" + session + "/interactions/" + iid + "/charts/x")
                .then()
                .statusCode(404)
                .body("detail", containsString("not a chart number"));
        given().get("/api/session/00000000-0000-0000-0000-000000000000/interactions/" + iid + "/charts/0")
                .then()
                .statusCode(404);

        assertEquals(1L, charts.count(session).await().atMost(Duration.ofSeconds(10)));
        given().delete("/api/session/" + session).then().statusCode(204);
        given().get(href).then().statusCode(404);
        // the charts go with the session's deletion event
        await("the session's charts are deleted with it")
                .atMost(Duration.ofSeconds(20))
                .until(() -> charts.count(session).await().atMost(Duration.ofSeconds(10)) == 0L);
    }

    @Test
    void malformedJsonIsA400SayingWhere() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        for (String accept : List.of("application/json", "text/event-stream")) {
            Response r = given().contentType("application/json")
                    .accept(accept)
                    .body("{\n  \"question\": \"total revenue?\",\n  oops\n}")
                    .post("/api/session/" + session + "/analyze");
            r.then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("malformed JSON"))
                    .body("detail", containsString("line 3"))
                    .body("line", equalTo(3))
                    .body("detail", not(containsString("Exception")));
        }
    }

    @Test
    void aFormEncodedBodyIsA415NamingJson() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        Response r = given().contentType("application/x-www-form-urlencoded")
                .formParam("question", "total revenue?")
                .post("/api/session/" + session + "/analyze");
        r.then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("detail", containsString("application/json"))
                .body("detail", containsString("{\"question\""));
    }

    @Test
    void theOpenApiDocumentShowsCreatesResponsesWithoutInternalTypes() throws Exception {
        JsonNode doc = JSON.readTree(given().accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        JsonNode create = doc.at("/paths/~1api~1session~1create/post/responses");
        assertTrue(create.has("201"), create.toString());
        for (String status : List.of("400", "413", "415")) {
            assertTrue(create.has(status), status + " in " + create);
            assertTrue(
                    create.get(status).at("/content").has("application/problem+json"),
                    create.get(status).toString());
        }
        JsonNode analyze = doc.at("/paths/~1api~1session~1{id}~1analyze/post/responses");
        for (String status : List.of("200", "400", "404", "415")) {
            assertTrue(analyze.has(status), status + " in " + analyze);
        }
        List<String> schemas = new ArrayList<>();
        doc.path("components").path("schemas").fieldNames().forEachRemaining(schemas::add);
        for (String internal : List.of(
                "Uni",
                "Multi",
                "RoutingContext",
                "AuthProvider",
                "User",
                "Session",
                "Buffer",
                "ByteBuf",
                "JsonArray",
                "JsonObject",
                "JsonNode",
                "JsonNodeType",
                "FileUpload",
                "OutboundSseEvent",
                "RestResponse",
                "Response",
                "Sse")) {
            assertFalse(schemas.contains(internal), internal + " in " + schemas);
        }
        String text = doc.toString();
        for (String internal : List.of("RoutingContext", "FileUpload", "OutboundSseEvent", "UniRestResponse")) {
            int at = text.indexOf(internal);
            assertFalse(
                    at >= 0,
                    () -> internal + " leaks into the OpenAPI document: "
                            + text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 200)));
        }
    }
}
