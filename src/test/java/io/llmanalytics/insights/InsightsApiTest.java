package io.llmanalytics.insights;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.llmanalytics.sandbox.ExecutionResult;
import io.llmanalytics.sandbox.Sandbox;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.session.SessionRepository;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.testing.Corpus;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.validation.CodeValidator;
import io.llmanalytics.validation.Verdict;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Insights through the API (default test profile: real worker, embedded store, offline analyst): computed after
 * upload and stored in the session document; their numbers agree with pandas run independently by
 * {@code /usr/bin/python3}; each insight's code passes the validator and gives its numbers when executed by the
 * sandbox, as generated code would; the follow-up
 * questions are answered by the offline analyst; sessions without stored insights get them on demand; 404 for an
 * unknown session.
 */
@QuarkusTest
class InsightsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Inject
    Sandbox sandbox;

    @Inject
    SessionService sessions;

    @Inject
    SessionRepository repository;

    @Inject
    GridFsFiles files;

    @Inject
    CodeValidator validator;

    /** One session per table, shared by the tests that do not change it. */
    private static final Map<String, String> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    private static String shared(String table) {
        return SHARED.computeIfAbsent(table, InsightsApiTest::upload);
    }

    private static String upload(String table) {
        return given().multiPart("file", Corpus.file("dabench/tables/" + table).toFile())
                .when()
                .post("/api/session/create")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("session_id");
    }

    private static JsonNode get(String session) throws IOException {
        String body = given().get("/api/session/" + session + "/insights")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .asString();
        return JSON.readTree(body);
    }

    private static JsonNode ready(String session) {
        JsonNode insights = settled(session);
        assertEquals(session, insights.path("session_id").asText());
        assertEquals("ready", insights.path("status").asText(), insights::toString);
        return insights;
    }

    /** The session's insights once they are no longer pending. */
    private static JsonNode settled(String session) {
        return await("insights of " + session + " no longer pending")
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> get(session),
                        insights -> !"pending".equals(insights.path("status").asText()));
    }

    private static Map<String, JsonNode> byKindAndColumns(JsonNode insights) {
        Map<String, JsonNode> map = new HashMap<>();
        for (JsonNode insight : insights.path("insights")) {
            List<String> columns = new ArrayList<>();
            insight.path("columns").forEach(c -> columns.add(c.asText()));
            map.put(insight.path("kind").asText() + ":" + String.join("|", columns), insight);
        }
        return map;
    }

    /** What plain pandas says about a table, computed by the worker's interpreter outside the service. */
    private static JsonNode pandas(String table, String dates, String script) throws IOException, InterruptedException {
        String program = "import json, sys\nimport pandas as pd\nimport numpy as np\n"
                + "df = pd.read_csv(sys.argv[1], parse_dates=" + dates + ")\n" + script
                + "\nprint(json.dumps(out, default=float))\n";
        Process process = new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        program,
                        Corpus.file("dabench/tables/" + table).toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "pandas did not finish");
        assertEquals(0, process.exitValue(), output);
        return JSON.readTree(output);
    }

    @Test
    void titanicInsightsAgreeWithPandas() throws Exception {
        String session = shared("titanic.csv");
        JsonNode insights = ready(session);
        JsonNode expected = pandas("titanic.csv", "False", """
                missing = {c: [int(df[c].isna().sum()), float(df[c].isna().mean())] for c in df.columns
                           if df[c].isna().mean() >= 0.2}
                top = df['Embarked'].value_counts()
                fare = df['Fare'].dropna()
                q1, q3 = fare.quantile(0.25), fare.quantile(0.75)
                iqr = q3 - q1
                out = {'missing': missing, 'embarked': [top.index[0], int(top.iloc[0]), float(top.iloc[0] / top.sum())],
                       'fare_outliers': int(((fare < q1 - 1.5 * iqr) | (fare > q3 + 1.5 * iqr)).sum()),
                       'fare_skew': float(fare.skew())}
                """);
        Map<String, JsonNode> found = byKindAndColumns(insights);
        assertTrue(insights.path("insights").size() <= 12);

        Set<String> missing = new java.util.HashSet<>();
        for (Iterator<String> it = expected.path("missing").fieldNames(); it.hasNext(); ) {
            String column = it.next();
            missing.add(column);
            JsonNode insight = found.get("missing_values:" + column);
            assertNotNull(insight, "missing values of " + column + " in " + found.keySet());
            assertEquals(
                    expected.path("missing").path(column).get(0).asInt(),
                    insight.path("numbers").path("missing").asInt());
            assertEquals(
                    expected.path("missing").path(column).get(1).asDouble(),
                    insight.path("numbers").path("share").asDouble(),
                    1e-12);
        }
        assertEquals(Set.of("Cabin"), missing, "titanic: only Cabin is missing in 20% or more of the rows");

        JsonNode embarked = found.get("dominant_category:Embarked");
        assertNotNull(embarked, found.keySet()::toString);
        assertEquals(
                expected.path("embarked").get(0).asText(),
                embarked.path("numbers").path("value").asText());
        assertEquals(
                expected.path("embarked").get(1).asInt(),
                embarked.path("numbers").path("count").asInt());
        assertEquals(
                expected.path("embarked").get(2).asDouble(),
                embarked.path("numbers").path("share").asDouble(),
                1e-12);
        assertTrue(embarked.path("sentence").asText().startsWith("Embarked is mostly \"S\""), embarked::toString);

        JsonNode fare = found.get("outliers:Fare");
        assertNotNull(fare, found.keySet()::toString);
        assertEquals(
                expected.path("fare_outliers").asInt(),
                fare.path("numbers").path("outliers").asInt());
        JsonNode skew = found.get("skewed:Fare");
        assertNotNull(skew, found.keySet()::toString);
        assertEquals(
                expected.path("fare_skew").asDouble(),
                skew.path("numbers").path("skew").asDouble(),
                1e-9);

        everyCodeGivesItsNumbers(session, insights);
        storedInTheSessionDocument(session, insights);
    }

    @Test
    void bitcoinPricesShowDuplicateColumnsAndDateCoverage() throws Exception {
        String session = shared("YAHOO-BTC_USD_D.csv");
        JsonNode insights = ready(session);
        JsonNode expected = pandas("YAHOO-BTC_USD_D.csv", "['Date']", """
                d = df['Date'].dropna()
                out = {'same': bool(df['Close'].equals(df['Adj Close'])), 'rows': len(df), 'first': str(d.min()),
                       'last': str(d.max()), 'days': int((d.max() - d.min()).days + 1), 'present': int(d.nunique()),
                       'r': float(df['Open'].corr(df['High']))}
                """);
        Map<String, JsonNode> found = byKindAndColumns(insights);
        assertTrue(expected.path("same").asBoolean());
        JsonNode duplicate = found.get("duplicate_columns:Close|Adj Close");
        assertNotNull(duplicate, found.keySet()::toString);
        assertEquals(
                expected.path("rows").asInt(),
                duplicate.path("numbers").path("rows").asInt());

        JsonNode dates = found.get("date_coverage:Date");
        assertNotNull(dates, found.keySet()::toString);
        assertEquals(
                expected.path("first").asText(),
                dates.path("numbers").path("first").asText());
        assertEquals(
                expected.path("last").asText(),
                dates.path("numbers").path("last").asText());
        assertEquals("D", dates.path("numbers").path("unit").asText());
        assertEquals(
                expected.path("days").asInt(),
                dates.path("numbers").path("periods").asInt());
        assertEquals(
                expected.path("days").asInt() - expected.path("present").asInt(),
                dates.path("numbers").path("missing_periods").asInt());

        JsonNode correlation = found.get("correlation:Open|High");
        assertNotNull(correlation, found.keySet()::toString);
        assertEquals(
                expected.path("r").asDouble(),
                correlation.path("numbers").path("r").asDouble(),
                1e-12);

        everyCodeGivesItsNumbers(session, insights);
    }

    @Test
    void followUpQuestionsAreAnsweredByTheOfflineAnalyst() throws Exception {
        Map<String, String> unanswered = new java.util.TreeMap<>();
        Set<String> asked = new java.util.TreeSet<>();
        for (String table : List.of("insurance.csv", "titanic.csv", "YAHOO-BTC_USD_D.csv", "GODREJIND.csv")) {
            String session = shared(table);
            for (JsonNode insight : ready(session).path("insights")) {
                String kind = insight.path("kind").asText();
                if (!asked.add(kind)) {
                    continue;
                }
                String question = insight.path("question").asText();
                var response = given().contentType("application/json")
                        .accept("application/json")
                        .body(Map.of("question", question))
                        .post("/api/session/" + session + "/analyze");
                if (response.statusCode() != 200) {
                    unanswered.put(kind, question + " -> " + response.statusCode() + " " + response.asString());
                }
            }
        }
        assertTrue(asked.size() >= 8, asked::toString);
        assertEquals(Set.of(), unanswered.keySet(), unanswered::toString);
    }

    @Inject
    InsightsService service;

    @Test
    void aRefreshComputesThemAgain() throws Exception {
        String session = shared("titanic.csv");
        JsonNode first = ready(session);
        service.refresh(sessions.find(session).await().atMost(Duration.ofSeconds(10)))
                .await()
                .atMost(Duration.ofSeconds(10));
        assertEquals(first.path("insights"), ready(session).path("insights"));
    }

    @Test
    void sessionsWithoutStoredInsightsGetThemOnDemand() throws Exception {
        String session = shared("insurance.csv");
        JsonNode first = ready(session);
        repository
                .mongoCollection()
                .updateOne(Filters.eq("_id", session), Updates.unset("insights"))
                .await()
                .atMost(Duration.ofSeconds(10));
        assertEquals("pending", get(session).path("status").asText(), "computed again, not from memory");
        JsonNode again = ready(session);
        assertEquals(first.path("insights"), again.path("insights"));
        assertTrue(again.path("insights").toString().contains("\"duplicate_rows\""), "insurance has a repeated row");
    }

    @Test
    void insightsThatCannotBeComputedAreFailedWithTheReason() throws Exception {
        String session = upload("insurance.csv");
        ready(session);
        var doc = sessions.find(session).await().atMost(Duration.ofSeconds(10));
        sandbox.evict(session);
        for (DatasetDocument dataset : doc.datasets) {
            files.delete(dataset.fileId()).await().atMost(Duration.ofSeconds(10));
        }
        repository
                .mongoCollection()
                .updateOne(Filters.eq("_id", session), Updates.unset("insights"))
                .await()
                .atMost(Duration.ofSeconds(10));
        JsonNode insights = settled(session);
        assertEquals("failed", insights.path("status").asText(), insights::toString);
        assertTrue(insights.path("detail").asText().length() > 10, insights::toString);
        assertEquals(0, insights.path("insights").size());
        assertEquals("failed", get(session).path("status").asText(), "not tried again at once");
    }

    @Test
    void theEventStreamEndsWithTheFinalInsights() {
        String session = upload("titanic.csv");
        String body = given().accept("text/event-stream")
                .get("/api/session/" + session + "/insights")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        SseEvents events = SseEvents.parse(body);
        assertFalse(events.events().isEmpty(), body);
        JsonNode last = events.events().get(events.events().size() - 1).data();
        assertEquals("ready", last.path("status").asText(), body);
        assertTrue(last.path("insights").size() > 0, body);
        given().accept("text/event-stream")
                .get("/api/session/" + UUID.randomUUID() + "/insights")
                .then()
                .statusCode(404);
    }

    @Test
    void anUnknownSessionIsANotFoundProblem() {
        given().get("/api/session/" + UUID.randomUUID() + "/insights")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/session/not-a-session/insights")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    private void everyCodeGivesItsNumbers(String session, JsonNode insights) {
        var sources = sessions.find(session).await().atMost(Duration.ofSeconds(10)).datasets.stream()
                .map(DatasetDocument::source)
                .toList();
        for (JsonNode insight : insights.path("insights")) {
            Verdict verdict =
                    validator.validate(insight.path("code").asText()).await().atMost(PATIENCE);
            assertTrue(verdict.ok(), () -> "the validator accepts the code of " + insight + ": " + verdict.feedback());
            ExecutionResult result = sandbox.execute(
                            session, sources, insight.path("code").asText())
                    .await()
                    .atMost(PATIENCE);
            assertTrue(result.succeeded(), () -> insight + ": " + result.error());
            JsonNode numbers = insight.path("numbers");
            result.result().fields().forEachRemaining(e -> {
                if (e.getKey().equals("value")) {
                    assertTrue(e.getValue()
                            .asText()
                            .startsWith(numbers.path("value").asText().replace("\u2026", "")));
                } else if (e.getValue().isFloatingPointNumber()) {
                    assertEquals(
                            e.getValue().asDouble(), numbers.path(e.getKey()).asDouble(), 1e-12, e::getKey);
                } else {
                    assertEquals(e.getValue(), numbers.path(e.getKey()), e::getKey);
                }
            });
        }
    }

    private void storedInTheSessionDocument(String session, JsonNode insights) {
        Document doc = repository
                .mongoCollection()
                .find(
                        Filters.eq("_id", session),
                        Document.class,
                        new FindOptions().projection(new Document("insights", 1)))
                .collect()
                .first()
                .await()
                .atMost(Duration.ofSeconds(10));
        Document stored = doc.get("insights", Document.class);
        assertNotNull(stored);
        assertEquals("ready", stored.getString("status"));
        assertEquals(
                insights.path("insights").size(),
                stored.getList("insights", Document.class).size());
        assertFalse(stored.getString("computed_at").isBlank());
    }
}
