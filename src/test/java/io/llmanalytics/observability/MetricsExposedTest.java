package io.llmanalytics.observability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /q/metrics after one analysis through the API (the LLM stub as the model, the real validator and worker): every
 * metric the operations guide lists is exposed, with the tags dashboards and alerts use, and every metric the alert
 * rules name exists.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class MetricsExposedTest {

    static final String SALES = """
            date,category,region,quantity,revenue
            2024-01-05,Electronics,North,2,600.0
            2024-01-06,Furniture,South,1,150.5
            2024-02-11,Electronics,North,1,999.5
            2024-02-12,Office,East,10,15.0
            """;

    @InjectOpenAiStub
    OpenAiStub stub;

    static PrometheusText metrics() {
        return PrometheusText.parse(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    @Test
    void afterOneAnalysisTheListedMetricsAreExposed() {
        stub.reset();
        PrometheusText before = metrics();
        String session = Uploads.sessionOf("metrics.csv", SALES);
        // the first code-generation call fails once (retried), then every call answers
        stub.enqueue(StubResponse.status(503));
        stub.respond(r -> r.streaming()
                ? StubResponse.content("Electronics leads the revenue.")
                : StubResponse.code("result = df.groupby('category')['revenue'].sum()"));
        SseEvents events = SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body("{\"question\": \"Revenue by category?\"}")
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals("done", events.last().name(), events.names().toString());
        PrometheusText after = metrics();

        // uploads: bytes and durations, by format and outcome
        assertEquals(
                1,
                after.sum("upload_size_bytes_count", "format", "csv", "outcome", "ok")
                        - before.sum("upload_size_bytes_count", "format", "csv", "outcome", "ok"),
                1e-9);
        assertEquals(
                SALES.length(),
                after.sum("upload_size_bytes_sum", "format", "csv", "outcome", "ok")
                        - before.sum("upload_size_bytes_sum", "format", "csv", "outcome", "ok"),
                1e-9);
        assertEquals(1, delta(before, after, "upload_duration_seconds_count", "format", "csv", "outcome", "ok"), 1e-9);

        // stage durations, attempts per answer, outcomes
        for (String stage : List.of("generation", "validation", "execution", "interpretation")) {
            assertEquals(
                    1,
                    delta(before, after, "analysis_stage_duration_seconds_count", "stage", stage, "outcome", "ok"),
                    1e-9,
                    stage);
            assertFalse(
                    after.find("analysis_stage_duration_seconds_bucket", "stage", stage, "le", "1.0")
                            .isEmpty(),
                    "histogram buckets for " + stage);
        }
        assertEquals(1, delta(before, after, "analysis_attempts_count"), 1e-9);
        assertEquals(1, delta(before, after, "analysis_attempts_sum"), 1e-9, "one attempt");
        assertEquals(1, delta(before, after, "analysis_outcomes_total", "outcome", "done"), 1e-9);

        // the language model: calls, errors, retries, tokens and durations by model
        assertEquals(
                1, delta(before, after, "llm_calls_total", "operation", "code_generation", "outcome", "success"), 1e-9);
        assertEquals(
                1, delta(before, after, "llm_calls_total", "operation", "interpretation", "outcome", "success"), 1e-9);
        assertEquals(
                1,
                delta(before, after, "llm_errors_total", "operation", "code_generation", "model", "gpt-4o-mini"),
                1e-9,
                "the 503, tagged with the model");
        assertEquals(
                1,
                delta(before, after, "llm_retries_total", "operation", "code_generation", "model", "gpt-4o-mini"),
                1e-9);
        assertTrue(delta(before, after, "llm_tokens_total", "kind", "input") > 0);
        assertTrue(delta(before, after, "llm_tokens_total", "kind", "output") > 0);
        after.find("llm_tokens_total")
                .forEach(s -> assertFalse(s.labels().getOrDefault("model", "").isEmpty()));
        assertEquals(2, delta(before, after, "llm_call_duration_seconds_count"), 1e-9);

        // the worker: queue, executions, timeouts, kills, cache
        assertTrue(after.has("sandbox_queue_length") && after.has("sandbox_running"));
        assertEquals(1, delta(before, after, "sandbox_executions_total"), 1e-9);
        assertTrue(after.has("sandbox_timeouts_total") && after.has("sandbox_kills_total"));
        assertTrue(after.has("sandbox_cache_hits_total") && after.has("sandbox_cache_misses_total"));
        assertEquals(1, delta(before, after, "analysis_result_cache_total", "outcome", "miss"), 1e-9);

        // HTTP, by route template (never by session id)
        assertFalse(after.find("http_server_requests_seconds_count", "uri", "/api/session/create")
                .isEmpty());
        assertTrue(
                after.find("http_server_requests_seconds_count").stream()
                        .noneMatch(s -> s.labels().getOrDefault("uri", "").contains(session)),
                "no id in a uri tag");
    }

    static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    @Test
    void everyMetricTheAlertRulesNameIsExposed() throws IOException {
        Path rules = Path.of("deploy/monitoring/prometheus-rules.yaml");
        JsonNode doc = new YAMLMapper().readTree(Files.readString(rules));
        Set<String> named = new TreeSet<>();
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : doc.path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                expressions.add(rule.path("expr").asText());
                named.addAll(metricNames(rule.path("expr").asText()));
            }
        }
        assertTrue(expressions.size() >= 5, "alert rules: " + expressions);
        PrometheusText exposed = metrics();
        List<String> missing = named.stream().filter(n -> !exposed.has(n)).toList();
        assertEquals(List.of(), missing, "alert rules name metrics the service does not expose");
        assertTrue(
                named.containsAll(Set.of("sandbox_queue_length", "llm_calls_total", "analysis_outcomes_total")),
                named.toString());
    }

    static final Set<String> PROMQL = Set.of(
            "sum",
            "rate",
            "irate",
            "increase",
            "by",
            "without",
            "on",
            "ignoring",
            "and",
            "or",
            "unless",
            "max",
            "min",
            "avg",
            "count",
            "histogram_quantile",
            "absent",
            "bool",
            "offset",
            "group_left",
            "group_right",
            "topk",
            "bottomk",
            "clamp_min",
            "clamp_max",
            "abs",
            "delta");

    /** The metric names in a PromQL expression: identifiers that are not functions, keywords or label names. */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\"[^\"]*\"", "\"\"") // strings
                .replaceAll("\\{[^}]*}", "") // label matchers
                .replaceAll("\\[[^]]*]", "") // ranges
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", ""); // grouping labels
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(e);
        while (m.find()) {
            if (!PROMQL.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    @Test
    void metricNamesAreFoundInExpressions() {
        assertEquals(
                Set.of("a_total", "b_seconds_bucket"),
                metricNames(
                        "sum(rate(a_total{x=\"y\"}[5m])) by (pod) / histogram_quantile(0.9, sum(rate(b_seconds_bucket[1m])) by (le))"));
    }
}
