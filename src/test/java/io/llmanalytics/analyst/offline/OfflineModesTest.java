package io.llmanalytics.analyst.offline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.Corpus;
import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The offline analyst's multi-step modes over HTTP (the default test profile has no model): {@code explore} on DABench
 * tables, its numbers checked against pandas on the file; {@code statistics} checked against scipy; the questions and
 * modes it cannot answer without a model declined.
 */
@QuarkusTest
class OfflineModesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode analyse(String session, String mode, String question) {
        Response r = given().contentType("application/json")
                .accept("application/json")
                .body(Map.of("question", question, "mode", mode))
                .post("/api/session/" + session + "/analyze");
        assertEquals(200, r.statusCode(), r.asString());
        return r.as(JsonNode.class);
    }

    private static JsonNode python(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "src/test/python/modes_expectations.py"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the expectations script finished");
        assertEquals(0, p.exitValue(), "the expectations script succeeded");
        return JSON.readTree(out);
    }

    private static String upload(Path file) throws Exception {
        Response r = Uploads.upload(file.getFileName().toString(), Files.readAllBytes(file));
        assertEquals(201, r.statusCode(), r.asString());
        return r.jsonPath().getString("session_id");
    }

    private static JsonNode step(JsonNode done, String goalStart) {
        for (JsonNode s : done.get("steps")) {
            if (s.get("goal").asText().startsWith(goalStart)) {
                return s;
            }
        }
        throw new AssertionError("no step " + goalStart + " in " + done.get("plan"));
    }

    @Test
    void exploreOnDabenchTablesRunsEveryStepAndItsNumbersAreThoseOfPandas() throws Exception {
        for (String table : List.of("titanic.csv", "abalone.csv")) {
            Path file = Corpus.file("dabench/tables/" + table);
            JsonNode done = analyse(upload(file), "explore", "Explore this table");

            assertEquals("explore", done.get("mode").asText());
            int n = done.get("steps").size();
            assertTrue(n >= 3 && n <= 8, table + ": " + done.get("plan"));
            for (JsonNode s : done.get("steps")) {
                assertEquals("done", s.get("status").asText(), table + ": " + s);
            }
            JsonNode report = done.get("report");
            assertTrue(report.get("grounding").get("ok").asBoolean(), table + ": " + report);
            assertEquals("complete", report.get("ended_by").asText());
            assertTrue(report.get("next_questions").size() >= 2, report.toString());

            JsonNode distributions = step(done, Explore.DISTRIBUTIONS).get("result");
            List<String> measures = new ArrayList<>();
            distributions.fieldNames().forEachRemaining(measures::add);
            List<String> args = new ArrayList<>(List.of("explore", file.toString()));
            args.addAll(measures);
            JsonNode pandas = python(args.toArray(String[]::new));

            JsonNode shape = step(done, Explore.SHAPE).get("result");
            assertEquals(pandas.get("rows").asLong(), shape.get("rows").asLong(), table);
            assertEquals(pandas.get("columns").asLong(), shape.get("columns").asLong(), table);
            assertEquals(
                    pandas.get("missing").asLong(),
                    step(done, Explore.MISSING).get("result").get("cells").asLong(),
                    table);
            String text = report.get("text").asText();
            assertTrue(
                    text.contains(String.format(
                            Locale.ROOT, "%,d rows", pandas.get("rows").asLong())),
                    text);
            for (String m : measures) {
                for (String stat : List.of("mean", "median", "min", "max")) {
                    assertEquals(
                            pandas.get("measures").get(m).get(stat).asDouble(),
                            distributions.get(m).get(stat).asDouble(),
                            1e-9,
                            table + " " + m + " " + stat);
                }
                assertTrue(
                        text.contains(m + " averages "
                                + Explore.Format.decimal(distributions.get(m).get("mean")) + " "),
                        text);
            }
        }
    }

    /** Two groups of scores and two related measures, made for the statistics questions. */
    private static String fixture() {
        Random random = new Random(18);
        StringBuilder csv = new StringBuilder("group,score,height,weight,region\n");
        for (int i = 0; i < 120; i++) {
            String group = i % 2 == 0 ? "control" : "treatment";
            double score = 50 + (group.equals("treatment") ? 4 : 0) + random.nextGaussian() * 8;
            double height = 160 + random.nextGaussian() * 10;
            double weight = 0.9 * height - 80 + random.nextGaussian() * 6;
            csv.append(String.format(
                    Locale.ROOT,
                    "%s,%.2f,%.1f,%.1f,%s%n",
                    group,
                    score,
                    height,
                    weight,
                    i % 3 == 0 ? "north" : "south"));
        }
        return csv.toString();
    }

    @Test
    void statisticsAnswersTheCommonComparisonsAsScipyDoesAndDeclinesTheRest() throws Exception {
        String csv = fixture();
        Path file = Path.of("target", "modes-statistics.csv").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        String session = Uploads.sessionOf("trial.csv", csv);

        JsonNode done =
                analyse(session, "statistics", "Is the difference in score between control and treatment significant?");
        JsonNode scipy = python("compare", file.toString(), "score", "group", "control", "treatment");
        JsonNode test = step(done, Statistics.COMPARE).get("result");
        assertEquals(scipy.get("t").asDouble(), test.get("t").asDouble(), 1e-4);
        assertEquals(scipy.get("t_p").asDouble(), test.get("t_p").asDouble(), 1e-9);
        assertEquals(scipy.get("u").asDouble(), test.get("u").asDouble(), 1e-2);
        assertEquals(scipy.get("u_p").asDouble(), test.get("u_p").asDouble(), 1e-9);
        String text = done.get("report").get("text").asText();
        assertTrue(text.contains("Welch's t-test gives t = ") && text.contains("Cohen's d"), text);
        assertTrue(
                text.contains(
                        scipy.get("t_p").asDouble() < 0.05 ? "is statistically significant" : "not statistically"),
                text);
        assertTrue(
                done.get("report").get("grounding").get("ok").asBoolean(),
                done.get("report").toString());

        JsonNode related = analyse(session, "statistics", "Is height related to weight?");
        JsonNode pearson = python("relate", file.toString(), "height", "weight");
        JsonNode r = step(related, Statistics.CORRELATE).get("result");
        assertEquals(pearson.get("r").asDouble(), r.get("r").asDouble(), 1e-4);
        assertEquals(pearson.get("r_p").asDouble(), r.get("r_p").asDouble(), 1e-12);
        assertTrue(related.get("report").get("text").asText().contains("Pearson's r = "));

        Response condition = given().contentType("application/json")
                .accept("application/json")
                .body(Map.of(
                        "question",
                        "Is the difference in score between control and treatment significant for women?",
                        "mode",
                        "statistics"))
                .post("/api/session/" + session + "/analyze");
        assertEquals(422, condition.statusCode(), "a condition is never dropped silently: " + condition.asString());
        assertTrue(condition.jsonPath().getString("detail").contains("'women'"), condition.asString());

        for (String[] declined : List.of(
                new String[] {"statistics", "Which factors explain the score best?"},
                new String[] {"model", "Predict the score from height and weight"})) {
            Response refused = given().contentType("application/json")
                    .accept("application/json")
                    .body(Map.of("question", declined[1], "mode", declined[0]))
                    .post("/api/session/" + session + "/analyze");
            assertEquals(422, refused.statusCode(), refused.asString());
            assertEquals("application/problem+json", refused.contentType().split(";")[0]);
            assertTrue(refused.jsonPath().getString("detail").contains("OPENAI_API_KEY"), refused.asString());
        }
    }
}
