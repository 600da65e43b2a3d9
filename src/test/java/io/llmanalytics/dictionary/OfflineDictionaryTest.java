package io.llmanalytics.dictionary;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The offline analyst reads a data dictionary's synonyms and value labels ("turnover" is {@code revenue}, "first
 * class" is {@code Pclass == 1}) through the real pipeline (upload, PUT the dictionary, {@code POST /analyze}); each
 * answer is graded against pandas run by Debian's Python on the same file, and the reading states the mapping. A
 * synonym that is also part of another column's name is declined, never guessed.
 */
@QuarkusTest
class OfflineDictionaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String SHOP = """
            order_id,region,revenue,units
            1,North,120.5,3
            2,South,80.0,2
            3,North,42.25,1
            4,East,300.0,6
            5,South,19.5,1
            6,East,64.0,2
            7,North,11.0,1
            8,South,250.75,5
            """;

    static final String PASSENGERS = """
            PassengerId,Pclass,Sex,Fare,Survived
            1,3,male,7.25,0
            2,1,female,71.28,1
            3,3,female,7.92,1
            4,1,female,53.1,1
            5,3,male,8.05,0
            6,2,male,13.0,0
            7,1,male,51.86,0
            8,2,female,30.07,1
            9,3,female,11.13,1
            10,2,male,26.0,0
            """;

    @Test
    void synonymsAndValueLabelsAreWordsItUnderstands() throws Exception {
        String shop = Uploads.sessionOf("shop.csv", SHOP);
        put(shop, "shop", Map.of("revenue", Map.of("synonyms", List.of("turnover", "takings"), "unit", "€")));
        String passengers = Uploads.sessionOf("passengers.csv", PASSENGERS);
        put(
                passengers,
                "passengers",
                Map.of(
                        "Pclass",
                        Map.of("values", Map.of("1", "first class", "2", "second class", "3", "third class")),
                        "Fare",
                        Map.of("synonyms", List.of("ticket price"))));

        List<String[]> cases = List.of(
                new String[] {"shop", shop, "What is the total turnover?", "df['revenue'].sum()"},
                new String[] {"shop", shop, "average takings in North", "df[df.region == 'North']['revenue'].mean()"},
                new String[] {"shop", shop, "turnover by region", "df.groupby('region')['revenue'].sum()"},
                new String[] {
                    "passengers", passengers, "How many passengers in first class?", "int((df.Pclass == 1).sum())"
                },
                new String[] {
                    "passengers", passengers, "average ticket price in third class", "df[df.Pclass == 3]['Fare'].mean()"
                },
                new String[] {
                    "passengers",
                    passengers,
                    "average fare of first class or second class passengers",
                    "df[df.Pclass.isin([1, 2])]['Fare'].mean()"
                },
                new String[] {
                    "passengers",
                    passengers,
                    "survival rate in second class",
                    "df[df.Pclass == 2]['Survived'].mean() * 100"
                });
        List<JsonNode> expected = pandas(cases);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String[] c = cases.get(i);
            Response r = ask(c[1], c[2]);
            if (r.statusCode() != 200) {
                wrong.add(c[2] + ": " + r.statusCode() + " " + r.asString());
                continue;
            }
            JsonNode done = JSON.readTree(r.asString());
            String problem = compare(expected.get(i), done.path("raw_result"));
            if (problem != null) {
                wrong.add(c[2] + ": " + problem + " (code: "
                        + done.path("generated_code").asText() + ")");
            }
            String reading = done.path("reading").asText();
            if (!reading.contains("data dictionary")) {
                wrong.add(c[2] + ": the reading does not state the mapping: " + reading);
            }
        }
        assertEquals(List.of(), wrong);
        JsonNode total = JSON.readTree(ask(shop, "What is the total turnover?").asString());
        String interpretation = total.path("interpretation").asText();
        assertTrue(interpretation.endsWith(" Units (data dictionary): revenue in €."), interpretation);
        assertTrue(
                total.path("grounding").path("ok").asBoolean(true),
                total.path("grounding").toString());
        JsonNode first = JSON.readTree(
                ask(passengers, "How many passengers in first class?").asString());
        assertTrue(
                first.path("reading").asText().contains("'first class' is `Pclass == 1`"),
                first.path("reading").asText());
        assertTrue(
                first.path("generated_code").asText().contains("data['Pclass'] == 1"),
                first.path("generated_code").asText());
    }

    @Test
    void aSynonymThatIsPartOfAnotherColumnsNameIsAskedBack() {
        String session = Uploads.sessionOf("rates.csv", """
                shop,revenue,turnover_rate
                a,100,0.1
                b,200,0.3
                c,50,0.2
                """);
        put(session, "rates", Map.of("revenue", Map.of("synonyms", List.of("turnover"))));
        Response r = ask(session, "average turnover");
        assertEquals(200, r.statusCode(), r.asString());
        assertNull(r.jsonPath().get("generated_code"), "nothing is computed on a guess: " + r.asString());
        String question = r.jsonPath().getString("clarification.question");
        assertTrue(question.contains("revenue") && question.contains("turnover_rate"), question);
        List<String> options = r.jsonPath().getList("clarification.options");
        assertEquals(2, options.size(), options.toString());
        assertTrue(options.containsAll(List.of("average turnover_rate", "average revenue")), options.toString());
    }

    private static void put(String session, String dataset, Map<String, Object> columns) {
        given().contentType("application/json")
                .body(Map.of("columns", columns))
                .put("/api/session/" + session + "/datasets/" + dataset + "/dictionary")
                .then()
                .statusCode(200);
    }

    /** Up to three minutes for an answer: the first one of a session starts its worker, on a shared machine. */
    private static final RestAssuredConfig PATIENT = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.socket.timeout", 180_000)
                    .setParam("http.connection.timeout", 30_000));

    private static Response ask(String session, String question) {
        return given().config(PATIENT)
                .contentType("application/json")
                .accept("application/json")
                .body(Map.of("question", question))
                .post("/api/session/" + session + "/analyze");
    }

    /** Each case's expression evaluated by pandas on its file: numbers, or a series as a map. */
    private static List<JsonNode> pandas(List<String[]> cases) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dictionary-grading");
        Files.writeString(dir.resolve("shop.csv"), SHOP, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("passengers.csv"), PASSENGERS, StandardCharsets.UTF_8);
        StringBuilder script = new StringBuilder("import json, pandas as pd\nout = []\n");
        for (String[] c : cases) {
            script.append("df = pd.read_csv(")
                    .append(JSON.writeValueAsString(dir.resolve(c[0] + ".csv").toString()))
                    .append(")\nv = ")
                    .append(c[3])
                    .append("\nout.append({k: float(x) for k, x in v.items()} if hasattr(v, 'items') else float(v))\n");
        }
        script.append("print(json.dumps(out))\n");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, output);
        List<JsonNode> all = new ArrayList<>();
        JSON.readTree(output).forEach(all::add);
        return all;
    }

    private static String compare(JsonNode want, JsonNode got) {
        if (want.isNumber()) {
            return got.isNumber()
                            && Math.abs(got.asDouble() - want.asDouble())
                                    <= 1e-6 * Math.max(1, Math.abs(want.asDouble()))
                    ? null
                    : "expected " + want + ", got " + got;
        }
        JsonNode data = got.path("data");
        if (!data.isObject() || data.size() != want.size()) {
            return "expected " + want + ", got " + got;
        }
        for (var it = want.fields(); it.hasNext(); ) {
            var e = it.next();
            if (Math.abs(data.path(e.getKey()).asDouble(Double.NaN)
                            - e.getValue().asDouble())
                    > 1e-6) {
                return "expected " + want + ", got " + got;
            }
        }
        return null;
    }
}
