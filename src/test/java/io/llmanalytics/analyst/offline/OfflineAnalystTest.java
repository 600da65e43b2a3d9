package io.llmanalytics.analyst.offline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.AnalystSelector;
import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.InterpretationChunk;
import io.llmanalytics.analyst.InterpretationRequest;
import io.llmanalytics.analyst.PreviousAttempt;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The offline analyst in the real pipeline (default test profile: no language model configured): its answers stream
 * with the same events as any analyst's, its code passes the validator and runs in the worker for every kind of
 * question and chart, a question it does not understand ends at once with a problem that helps, and so does code that
 * fails when it runs.
 */
@QuarkusTest
class OfflineAnalystTest {

    private static String sales;

    @Inject
    AnalystSelector selector;

    @Inject
    OfflineAnalyst analyst;

    @BeforeEach
    void upload() {
        if (sales == null) {
            sales = Uploads.sessionOf("sales.csv", TestTables.salesCsv());
        }
    }

    private static SseEvents stream(String question) {
        return SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", question))
                .post("/api/session/" + sales + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    private static Response json(String session, String question) {
        return given().contentType("application/json")
                .accept("application/json")
                .body(Map.of("question", question))
                .post("/api/session/" + session + "/analyze");
    }

    @Test
    void isTheActiveAnalystWithoutALanguageModel() {
        assertEquals(AnalystSelector.OFFLINE, selector.active().name());
        assertTrue(selector.active() instanceof OfflineAnalyst);
    }

    @Test
    void streamsEveryStageThenTheAnswerWithAChart() {
        SseEvents events = stream("Plot the total revenue by region");
        List<String> sequence = events.sequence();
        assertEquals(
                List.of(
                        "status:generating",
                        "code",
                        "status:validating",
                        "validation",
                        "status:executing",
                        "execution",
                        "reading",
                        "result",
                        "chart",
                        "status:interpreting"),
                sequence.subList(0, 10));
        assertTrue(
                sequence.subList(10, sequence.size() - 1).stream().allMatch("interpretation"::equals),
                sequence::toString);
        JsonNode done = events.done();
        assertEquals("offline", done.path("usage").path("analyst").asText());
        assertEquals(OfflineAnalyst.MODEL, done.path("usage").path("model").asText());
        assertEquals(0, done.path("usage").path("total_tokens").asInt());
        assertTrue(done.path("grounding").path("ok").asBoolean());
        assertEquals(1, done.path("attempts").size());
        assertEquals(events.interpretation(), done.path("interpretation").asText());
        assertTrue(done.path("interpretation").asText().contains("has the highest total revenue"), done.toString());
        assertTrue(done.path("generated_code").asText().startsWith(PlanComment.PREFIX));
        assertEquals(
                "image/png", events.named("chart").get(0).data().path("mime").asText());
    }

    @Test
    void everyKindOfQuestionRunsInTheWorker() {
        for (String question : List.of(
                "what columns are there?",
                "what is the shape of the data?",
                "missing values per column",
                "missing values in price",
                "summary of the data",
                "describe price",
                "describe the region column",
                "correlation between price and quantity",
                "strongest correlations",
                "what is most correlated with revenue",
                "outliers in revenue",
                "distribution of price",
                "distribution of region",
                "what are the different categories?",
                "first 5 rows",
                "last 3 rows",
                "price of Laptop",
                "how many orders in the north or south",
                "how many orders excluding Furniture",
                "how many orders before 2024",
                "how many orders in march",
                "orders per week",
                "revenue per day",
                "yearly revenue",
                "5 cheapest orders",
                "3 most recent orders",
                "latest orders by date",
                "share of revenue by region",
                "what percentage of orders are in the north",
                "share of orders by category and region",
                "how many orders with a product containing 'desk'",
                "how many orders with a product starting with 'Off'",
                "number of distinct products by category",
                "std of revenue by category",
                "variance of price",
                "average price for orders with quantity between 2 and 4")) {
            Response r = json(sales, question);
            assertEquals(200, r.statusCode(), () -> question + ": " + r.asString());
            assertTrue(r.jsonPath().getBoolean("grounding.ok"), () -> question + ": " + r.asString());
            assertFalse(r.jsonPath().getString("interpretation").isBlank(), question);
        }
    }

    @Test
    void everyKindOfChartIsDrawn() {
        for (String question : List.of(
                "bar chart of revenue by category",
                "monthly revenue as a line chart",
                "revenue by region as a pie chart",
                "histogram of price",
                "plot the distribution of region",
                "scatter plot of the correlation between price and quantity",
                "plot the 5 biggest orders by revenue",
                "plot the strongest correlations with revenue",
                "plot missing values per column",
                "chart the number of orders per month")) {
            Response r = json(sales, question);
            assertEquals(200, r.statusCode(), () -> question + ": " + r.asString());
            assertEquals(1, r.jsonPath().getList("charts").size(), () -> question + ": " + r.asString());
        }
    }

    @Test
    void aQuestionItDoesNotUnderstandEndsAtOnceWithExamplesAndHowToConfigureAnLlm() {
        SseEvents events = stream("Why did revenue drop in March?");
        assertEquals(List.of("status:generating", "error"), events.sequence(), "no attempt is wasted");
        JsonNode error = events.last().data();
        assertEquals(
                ProblemType.QUESTION_NOT_UNDERSTOOD.uri(), error.path("type").asText());
        assertEquals(422, error.path("status").asInt());
        String detail = error.path("detail").asText();
        assertTrue(detail.contains("'drop'"), detail);
        assertTrue(detail.contains("\"What is the total revenue by category?\""), detail);
        assertTrue(detail.contains("OPENAI_API_KEY") && detail.contains("OPENAI_BASE_URL"), detail);

        json(sales, "predict next month's revenue")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", is(ProblemType.QUESTION_NOT_UNDERSTOOD.uri()))
                .body("detail", containsString("Questions it can answer about 'sales' look like"));
    }

    @Test
    void codeThatFailsWhenItRunsIsNotRetried() {
        SseEvents events = stream("total revenue for Gizmo");
        assertEquals(1, events.named("code").size(), "one attempt only: " + events.sequence());
        assertEquals(1, events.named("execution").size());
        assertFalse(events.named("execution").get(0).data().path("success").asBoolean());
        JsonNode error = events.last().data();
        assertEquals("error", events.last().name());
        assertEquals(
                ProblemType.QUESTION_NOT_UNDERSTOOD.uri(), error.path("type").asText());
        assertTrue(error.path("detail").asText().contains("Gizmo is in no text column"), error.toString());
    }

    @Test
    void aSecondAttemptEndsTheAnalysis() {
        CodeRequest request = CodeRequest.first("total revenue", List.of(TestTables.salesSchema()), List.of(), false)
                .retry(PreviousAttempt.execution("result = 1", "Traceback (most recent call last):\nKeyError: 'x'"));
        ProblemException e = assertThrows(ProblemException.class, () -> analyst.generate(request));
        assertEquals(ProblemType.ANALYSIS_FAILED, e.type());
        assertTrue(e.getMessage().contains("KeyError: 'x'"), e.getMessage());
        CodeRequest refused = CodeRequest.first("total revenue", List.of(TestTables.salesSchema()), List.of(), false)
                .retry(PreviousAttempt.validation("import os", "import-not-allowed"));
        assertTrue(assertThrows(ProblemException.class, () -> analyst.generate(refused))
                .getMessage()
                .contains("refused by the validator"));
    }

    @Test
    void interpretsCodeOfAnotherAnalystWithTheFallbackDescription() {
        List<InterpretationChunk> chunks = analyst.interpret(InterpretationRequest.of(
                        "q", new com.fasterxml.jackson.databind.node.IntNode(42), "result = 42", null, false))
                .collect()
                .asList()
                .await()
                .indefinitely();
        InterpretationChunk.Completed completed = (InterpretationChunk.Completed) chunks.get(chunks.size() - 1);
        assertTrue(completed.text().contains("42"), completed.text());
    }

    @Test
    void followUpsUseTheConversation() {
        String session = Uploads.sessionOf("sales.csv", TestTables.salesCsv());
        json(session, "What's the total revenue by category?").then().statusCode(200);
        Response furniture = json(session, "and for Furniture?");
        furniture.then().statusCode(200).body("interpretation", containsString("Furniture"));
        Response region = json(session, "now by region");
        region.then().statusCode(200);
        assertEquals(4, region.jsonPath().getMap("raw_result.data").size());
        json(session, "show that as a chart").then().statusCode(200).body("charts.size()", is(1));
        given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .body("history.size()", is(4))
                .body("history[3].usage.analyst", is("offline"));
    }

    @Test
    void suggestsQuestionsItUnderstands() {
        Response r = given().get("/api/session/" + sales + "/suggestions");
        r.then().statusCode(200).body("session_id", is(sales)).body("dataset", is("sales"));
        List<String> questions = r.jsonPath().getList("questions");
        assertTrue(questions.size() >= 6, questions::toString);
        assertTrue(questions.contains("What is the total revenue by category?"), questions::toString);
        for (String q : questions) {
            assertEquals(200, json(sales, q).statusCode(), q);
        }
        assertEquals(
                3,
                given().get("/api/session/" + sales + "/suggestions?limit=3")
                        .jsonPath()
                        .getList("questions")
                        .size());
        given().get("/api/session/" + sales + "/suggestions?limit=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/session/00000000-0000-0000-0000-000000000000/suggestions")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
