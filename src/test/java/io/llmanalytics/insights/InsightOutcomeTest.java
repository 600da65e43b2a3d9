package io.llmanalytics.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.sandbox.ExecutionError;
import io.llmanalytics.sandbox.ExecutionResult;
import io.llmanalytics.sandbox.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the worker's answer becomes a session's insights: ready with the list, or failed saying why. */
class InsightOutcomeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final InsightsService service = new InsightsService(null, null, null, null, null, JSON);

    private static ExecutionResult result(Outcome outcome, String body, ExecutionError error) throws Exception {
        return new ExecutionResult(
                outcome,
                body == null ? null : JSON.readTree(body),
                false,
                "",
                false,
                List.of(),
                false,
                error,
                Duration.ofMillis(12));
    }

    @Test
    void aCompletedRunIsReadyWithItsInsightsInOrder() throws Exception {
        SessionInsights insights = service.outcome("s", result(Outcome.SUCCESS, """
                {"insights": [
                  {"kind": "duplicate_rows", "dataset": "t", "columns": [], "sentence": "1 row (0.1%) repeats an earlier row exactly.",
                   "numbers": {"duplicate_rows": 1, "rows": 1338, "share": 0.000747}, "code": "result = 1",
                   "question": "How many rows are there?", "score": 0.6},
                  {"kind": "skewed", "dataset": "t", "columns": ["charges"], "sentence": "charges is skewed.",
                   "numbers": {"skew": 1.5}, "code": "result = 2", "question": "Show the distribution of charges",
                   "score": 0.37}],
                 "skipped": [{"dataset": "t", "detector": "outliers", "reason": "time budget"}], "found": 2}
                """, null));
        assertEquals(SessionInsights.READY, insights.status());
        assertEquals(
                List.of("duplicate_rows", "skewed"),
                insights.insights().stream().map(Insight::kind).toList());
        assertEquals(List.of("charges"), insights.insights().get(1).columns());
        assertEquals(1338, insights.insights().get(0).numbers().get("rows"));
        assertEquals(
                "Show the distribution of charges", insights.insights().get(1).question());
    }

    @Test
    void aRunThatFailedOrGaveNothingIsFailedWithTheReason() throws Exception {
        SessionInsights timeout = service.outcome(
                "s",
                result(
                        Outcome.TIMEOUT,
                        null,
                        new ExecutionError("TimeoutError", "the code did not finish within 5 s", "", null)));
        assertEquals(SessionInsights.FAILED, timeout.status());
        assertEquals("the insights could not be computed: the code did not finish within 5 s", timeout.detail());
        assertTrue(timeout.insights().isEmpty());

        SessionInsights killed = service.outcome("s", result(Outcome.KILLED, null, null));
        assertEquals("the insights could not be computed: killed", killed.detail());

        SessionInsights empty = service.outcome("s", result(Outcome.SUCCESS, "{\"unexpected\": 1}", null));
        assertEquals(SessionInsights.FAILED, empty.status());
        assertEquals("the worker returned no insights", empty.detail());
    }

    @Test
    void anInsightAlwaysHasListsAndMaps() {
        Insight insight = new Insight("duplicate_rows", "t", null, "s.", null, "result = 1", "q?");
        assertEquals(List.of(), insight.columns());
        assertEquals(Map.of(), insight.numbers());
    }
}
