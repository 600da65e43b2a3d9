package io.llmanalytics.analysis;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.openai.LlmGuard;
import io.llmanalytics.testing.OwnJvm;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The multi-step modes end to end with the OpenAI analyst: the project's stub as the model over HTTP (plan, each
 * step's code, synthesis), the real validator and the real worker.
 */
@QuarkusTest
@OwnJvm
@TestProfile(ModesProfile.class)
class AnalysisModesTest {

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    LlmGuard guard;

    @BeforeEach
    void reset() {
        stub.reset();
        guard.breaker().reset();
    }

    private static String session() {
        return Uploads.sessionOf("sales.csv", AnalysisStreamTest.SALES);
    }

    /** Every event between plan and report (the steps' events) carries its step; returns them. */
    private static List<SseEvents.Event> stepEvents(SseEvents events) {
        List<SseEvents.Event> stepped = new ArrayList<>();
        boolean inSteps = false;
        for (SseEvents.Event e : events.events()) {
            if (e.name().equals("plan")) {
                inSteps = true;
                continue;
            }
            if (e.name().equals("report")
                    || (e.name().equals("status")
                            && e.data().path("stage").asText().equals("synthesizing"))) {
                break;
            }
            if (inSteps) {
                assertTrue(e.data().path("step").isInt(), "a step's event carries its step: " + e);
                stepped.add(e);
            }
        }
        return stepped;
    }

    private static List<SseEvents.Event> ofStep(SseEvents events, String name, int step) {
        return stepEvents(events).stream()
                .filter(e -> e.name().equals(name) && e.data().path("step").asInt() == step)
                .toList();
    }

    @Test
    void aFourStepPlanRunsEachStepUsesAnEarlierResultAndGroundsTheSynthesis() {
        String session = session();
        ModeScript script = new ModeScript(
                List.of(
                        "Total revenue per category",
                        "Share of each category in the total revenue",
                        "The category with the most revenue",
                        "Number of orders"),
                Map.of(
                        1, ModeScript.codes("result = df.groupby('category')['revenue'].sum()"),
                        2, ModeScript.codes("result = (step1 / step1.sum() * 100).round(1)"),
                        3, ModeScript.codes("result = step1.idxmax()"),
                        4, ModeScript.codes("result = len(df)")),
                Map.of(
                        "text",
                        "Electronics leads with 1599.5 in revenue, 73.2% of the total. There are 6 orders."
                                + " Revenue grew by 4242 last year.",
                        "findings",
                        List.of("Electronics brings 1599.5 in revenue.", "Office is expected to reach 777.7."),
                        "next_questions",
                        List.of("How does revenue change by month?", "Which region buys most electronics?")));

        SseEvents events = ModeScript.ask(stub, script, session, "explore", "Give me an overview of revenue");

        JsonNode plan = events.named("plan").get(0).data();
        assertEquals(4, plan.get("steps").size());
        assertEquals("explore", plan.get("mode").asText());
        for (int step = 1; step <= 4; step++) {
            assertEquals(1, ofStep(events, "result", step).size(), "step " + step + " has its result");
            assertEquals(1, ofStep(events, "code", step).size());
        }
        JsonNode share = ofStep(events, "result", 2).get(0).data().get("result");
        assertEquals(73.2, share.get("data").get("Electronics").asDouble(), 1e-9, "step 2 used step1's result");
        assertEquals(
                "Electronics",
                ofStep(events, "result", 3).get(0).data().get("result").asText());

        JsonNode report = events.named("report").get(0).data().get("report");
        String text = report.get("text").asText();
        assertTrue(text.contains("1599.5") && text.contains("73.2%") && text.contains("6 orders"), text);
        assertFalse(text.contains("4242"), "an invented number is never stated: " + text);
        assertEquals(List.of("Electronics brings 1599.5 in revenue."), texts(report.get("findings")));
        assertFalse(report.get("grounding").get("ok").asBoolean());
        assertTrue(texts(report.get("grounding").get("ungrounded")).containsAll(List.of("4242", "777.7")));
        assertEquals(2, report.get("next_questions").size());
        assertEquals("complete", report.get("ended_by").asText());

        JsonNode done = events.done();
        assertEquals("explore", done.get("mode").asText());
        assertEquals(4, done.get("steps").size());
        assertEquals(text, done.get("report").get("text").asText());
        String id = done.get("conversation_id").asText();
        given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .body("history[0].id", is(id))
                .body("history[0].analysis.mode", is("explore"))
                .body("history[0].analysis.plan.size()", is(4))
                .body("history[0].analysis.steps[1].code", is("result = (step1 / step1.sum() * 100).round(1)"))
                .body("history[0].analysis.report.text", is(text));
    }

    @Test
    void aFailingStepIsHealedOnItsSecondAttempt() {
        ModeScript script = new ModeScript(
                List.of("Rows", "Revenue total", "Largest order"),
                Map.of(
                        1, ModeScript.codes("result = len(df)"),
                        2, ModeScript.codes("result = df['turnover'].sum()", "result = df['revenue'].sum()"),
                        3, ModeScript.codes("result = df['revenue'].max()")),
                Map.of("text", "The revenue totals 2185.", "findings", List.of(), "next_questions", List.of()));

        SseEvents events = ModeScript.ask(stub, script, session(), "statistics", "How large is revenue?");

        List<SseEvents.Event> executions = ofStep(events, "execution", 2);
        assertEquals(2, executions.size());
        assertFalse(executions.get(0).data().get("success").asBoolean());
        assertTrue(executions.get(1).data().get("success").asBoolean());
        assertTrue(events.named("step_failed").isEmpty());
        JsonNode done = events.done();
        assertEquals("done", done.get("steps").get(1).get("status").asText());
        assertEquals(2, done.get("steps").get(1).get("attempts").asInt());
        assertEquals("The revenue totals 2185.", done.get("report").get("text").asText());
        assertTrue(
                stub.chatRequests().stream()
                        .anyMatch(r -> r.userMessage().contains("Step 2 of a")
                                && r.prompt().contains("turnover")),
                "the second attempt saw the first one's failure");
    }

    @Test
    void aStepThatFailsEveryAttemptIsReportedAndLaterStepsRun() {
        ModeScript script = new ModeScript(
                List.of("Rows", "Something impossible", "Largest order"),
                Map.of(
                        1, ModeScript.codes("result = len(df)"),
                        2, ModeScript.codes("result = df['nope'].sum()", "result = df['still_nope'].sum()"),
                        3, ModeScript.codes("result = df['revenue'].max()")),
                Map.of(
                        "text", "The largest order brought 999.5. There are 6 rows.",
                        "findings", List.of(),
                        "next_questions", List.of("a?", "b?", "c?", "d?")));

        SseEvents events = ModeScript.ask(stub, script, session(), "explore", "Overview");

        assertEquals(2, ofStep(events, "execution", 2).size(), "two attempts, the budget per step");
        SseEvents.Event failed = events.named("step_failed").get(0);
        assertEquals(2, failed.data().get("step").asInt());
        assertTrue(failed.data().get("reason").asText().contains("attempts-per-step budget"), failed.toString());
        assertEquals(1, ofStep(events, "result", 3).size(), "the step after the failed one ran");
        JsonNode done = events.done();
        assertEquals("failed", done.get("steps").get(1).get("status").asText());
        assertEquals("done", done.get("steps").get(2).get("status").asText());
        assertEquals(
                "The largest order brought 999.5. There are 6 rows.",
                done.get("report").get("text").asText());
        assertEquals(3, done.get("report").get("next_questions").size(), "at most three next questions");
    }

    @Test
    void aChartDrawnByAStepIsStreamedWithItsStepAndKeptWithTheAnalysis() {
        String session = session();
        ModeScript script = new ModeScript(
                List.of("Revenue per category as a chart", "Number of orders"),
                Map.of(
                        1,
                        ModeScript.codes("s = df.groupby('category')['revenue'].sum()\n"
                                + "s.plot(kind='bar', title='Revenue by category')\nresult = s"),
                        2,
                        ModeScript.codes("result = len(df)")),
                Map.of("text", "There are 6 orders.", "findings", List.of(), "next_questions", List.of()));

        SseEvents events = ModeScript.ask(stub, script, session, "explore", "Overview with a chart");

        List<SseEvents.Event> charts = ofStep(events, "chart", 1);
        assertEquals(1, charts.size(), "step 1's chart is streamed with its step");
        assertEquals("image/png", charts.get(0).data().get("mime").asText());
        assertTrue(charts.get(0).data().get("spec").has("data"), "with its interactive form");
        assertTrue(ofStep(events, "chart", 2).isEmpty());
        String href = given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .body("history[0].analysis.mode", is("explore"))
                .body("history[0].charts.size()", is(1))
                .extract()
                .path("history[0].charts[0].href");
        assertNotNull(href, "the chart is stored with the analysis");
        given().get(href).then().statusCode(200).contentType("image/png");
    }

    @Test
    void aResultCutToItsBoundsIsNeverHandedOnAsIfWhole() {
        ModeScript script = new ModeScript(
                List.of("Many numbers", "Their total"),
                Map.of(
                        1, ModeScript.codes("result = pd.Series(range(5000))"),
                        2, ModeScript.codes("result = step1.sum()", "result = step1.sum()")),
                Map.of("text", "Nothing to report.", "findings", List.of(), "next_questions", List.of()));

        SseEvents events = ModeScript.ask(stub, script, session(), "explore", "Overview");

        assertTrue(ofStep(events, "result", 1).get(0).data().get("truncated").asBoolean(), "step 1 was cut");
        assertTrue(ofStep(events, "result", 2).isEmpty(), "no total of a part is ever stated as the total");
        List<SseEvents.Event> executions = ofStep(events, "execution", 2);
        assertFalse(executions.isEmpty());
        assertTrue(
                executions.get(0).data().get("error").asText().contains("too large to pass on whole"),
                executions.get(0).toString());
        assertEquals("failed", events.done().get("steps").get(1).get("status").asText());
    }

    @Test
    void aPlanLongerThanTheStepsBudgetIsCutAndTheReportSaysSo() {
        ModeScript script = new ModeScript(
                List.of("One", "Two", "Three", "Four", "Five", "Six", "Seven"),
                Map.of(
                        1, ModeScript.codes("result = 1"),
                        2, ModeScript.codes("result = 2"),
                        3, ModeScript.codes("result = 3"),
                        4, ModeScript.codes("result = 4"),
                        5, ModeScript.codes("result = 5"),
                        6, ModeScript.codes("result = 6")),
                Map.of("text", "Five steps ran.", "findings", List.of(), "next_questions", List.of()));

        SseEvents events = ModeScript.ask(stub, script, session(), "model", "Predict revenue");

        assertEquals(5, events.named("plan").get(0).data().get("steps").size());
        assertTrue(ofStep(events, "code", 6).isEmpty());
        JsonNode report = events.named("report").get(0).data().get("report");
        assertEquals("steps", report.get("ended_by").asText());
        assertEquals(5, report.get("budgets").get("max_steps").asInt());
        assertEquals("steps", events.done().get("report").get("ended_by").asText());
    }

    @Test
    void theAnswerModeIsUnchangedAndAnUnknownModeIsAProblemListingTheModes() {
        String session = session();
        given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", "Total revenue?", "mode", "forecast"))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("modes", hasItems("answer", "explore", "statistics", "model"));
        given().contentType("application/json")
                .accept("application/json")
                .body(Map.of("question", "Total revenue?", "mode", "forecast"))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(400);
        stub.respond(r -> r.streaming()
                ? StubResponse.content("The total is 2185.")
                : StubResponse.code("result = df['revenue'].sum()"));
        SseEvents events = SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", "Total revenue?", "mode", "answer"))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertTrue(events.named("plan").isEmpty());
        assertNotNull(events.done().get("generated_code"));
        assertTrue(events.events().stream()
                .noneMatch(e -> e.data() != null && e.data().has("step")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
