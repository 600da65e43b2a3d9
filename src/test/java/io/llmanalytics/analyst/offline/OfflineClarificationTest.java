package io.llmanalytics.analyst.offline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
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
 * The offline analyst asks back, through the public API, when a question can be read in ways that give different
 * answers (a word naming two columns, a value of two columns, a count over repeating names, a relative year or a
 * quarter without its year over several years); each option it offers is then answered without asking again, and answered right: graded against
 * pandas run on the same table by Debian's Python. Unambiguous questions on the same tables are answered at once.
 */
@QuarkusTest
class OfflineClarificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String CITIES = """
            order_id,store_city,customer_city,revenue
            1,Paris,Lyon,100
            2,Paris,Paris,250
            3,Lyon,Paris,40
            4,Nice,Lyon,75
            5,Lyon,Nice,60
            6,Paris,Nice,30
            """;

    static final String FLIGHTS = """
            flight,origin,destination,fare
            F1,Paris,Rome,120
            F2,Rome,Paris,80
            F3,Paris,Berlin,200
            F4,Berlin,Paris,60
            F5,Madrid,Rome,90
            F6,Rome,Madrid,100
            """;

    static final String COUNTIES = """
            state_abbr,county_name,total_votes
            TX,Franklin,100
            OH,Franklin,500
            TX,Harris,900
            OH,Adams,50
            TX,Adams,70
            """;

    static final String ORDERS = """
            order_date,region,revenue
            2023-02-01,North,100
            2023-08-15,South,200
            2024-01-10,North,300
            2024-07-20,South,400
            2024-09-05,North,50
            """;

    private static final String YEAR = "pd.to_datetime(df['order_date']).dt.year";
    private static final String QUARTER = "pd.to_datetime(df['order_date']).dt.quarter";

    /** A clarification's options, each with the pandas expression (over {@code df}) that answers it. */
    record Case(String table, String csv, String question, Map<String, String> pandasByOptionWord) {}

    static final List<Case> CASES = List.of(
            new Case(
                    "cities.csv",
                    CITIES,
                    "What is the total revenue by city?",
                    Map.of(
                            "store",
                            "df.groupby('store_city')['revenue'].sum()",
                            "customer",
                            "df.groupby('customer_city')['revenue'].sum()")),
            new Case(
                    "flights.csv",
                    FLIGHTS,
                    "What is the average fare for Paris?",
                    Map.of(
                            "origin",
                            "df[df['origin'] == 'Paris']['fare'].mean()",
                            "destination",
                            "df[df['destination'] == 'Paris']['fare'].mean()")),
            new Case(
                    "counties.csv",
                    COUNTIES,
                    "how many counties are there?",
                    Map.of("rows", "len(df)", "distinct", "df['county_name'].nunique()")),
            new Case(
                    "orders.csv",
                    ORDERS,
                    "What was the total revenue last year?",
                    Map.of(
                            "2024",
                            "df[" + YEAR + " == 2024]['revenue'].sum()",
                            "2023",
                            "df[" + YEAR + " == 2023]['revenue'].sum()")),
            new Case(
                    "orders.csv",
                    ORDERS,
                    "What is the total revenue in Q3?",
                    Map.of(
                            "2024",
                            "df[(" + YEAR + " == 2024) & (" + QUARTER + " == 3)]['revenue'].sum()",
                            "2023",
                            "df[(" + YEAR + " == 2023) & (" + QUARTER + " == 3)]['revenue'].sum()")));

    @Test
    void ambiguousQuestionsGetAClarificationWhoseOptionsAreAnsweredRight() throws Exception {
        List<String> misses = new ArrayList<>();
        for (Case c : CASES) {
            String session = Uploads.sessionOf(c.table(), c.csv());
            JsonNode done = ask(session, c.question());
            JsonNode clarification = done.path("clarification");
            assertTrue(clarification.isObject(), () -> c.question() + " was not asked back: " + done);
            assertTrue(done.path("generated_code").isNull(), done::toString);
            assertTrue(done.path("raw_result").isNull(), done::toString);
            JsonNode options = clarification.get("options");
            assertTrue(options.size() >= 2 && options.size() <= 5, options::toString);
            assertEquals(c.pandasByOptionWord().size(), options.size(), options::toString);
            for (JsonNode o : options) {
                String option = o.asText();
                String word = c.pandasByOptionWord().keySet().stream()
                        .filter(w -> option.toLowerCase().contains(w))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("an option of no known reading: " + option));
                JsonNode answer = ask(session, option);
                assertTrue(answer.path("clarification").isNull(), () -> option + " was asked back: " + answer);
                JsonNode expected = pandas(c.csv(), c.pandasByOptionWord().get(word));
                String miss = OfflineQuestionSetTest.check(expected, answer.path("raw_result"));
                if (miss != null) {
                    misses.add(option + ": " + miss);
                }
            }
            // the clarification is stored in the session's history
            given().get("/api/session/" + session)
                    .then()
                    .statusCode(200)
                    .body(
                            "history[0].clarification.question",
                            is(clarification.get("question").asText()));
        }
        assertTrue(misses.isEmpty(), () -> String.join("\n", misses));
    }

    @Test
    void unambiguousQuestionsAreAnsweredAtOnce() throws Exception {
        for (Case c : CASES) {
            String session = Uploads.sessionOf(c.table(), c.csv());
            for (String q : List.of("How many rows are there?", "Give me a summary of the data")) {
                JsonNode done = ask(session, q);
                assertTrue(done.path("clarification").isNull(), () -> q + ": " + done);
                assertFalse(done.path("raw_result").isNull(), () -> q + ": " + done);
            }
        }
        String cities = Uploads.sessionOf("cities.csv", CITIES);
        JsonNode byStore = ask(cities, "What is the total revenue by store_city?");
        assertTrue(byStore.path("clarification").isNull(), byStore::toString);
        assertEquals(
                null,
                OfflineQuestionSetTest.check(
                        pandas(CITIES, "df.groupby('store_city')['revenue'].sum()"), byStore.path("raw_result")));
    }

    private static JsonNode ask(String session, String question) throws IOException {
        Response r = given().contentType("application/json")
                .accept("application/json")
                .body(Map.of("question", question))
                .post("/api/session/" + session + "/analyze");
        assertEquals(200, r.statusCode(), () -> question + ": " + r.asString());
        return JSON.readTree(r.asString());
    }

    /**
     * The expectation (in {@link OfflineQuestionSetTest#check}'s form) of a pandas expression over the table, computed
     * by Debian's Python with pandas.
     */
    static JsonNode pandas(String csv, String expression) throws Exception {
        Path file = Files.createTempFile("clarify", ".csv");
        try {
            Files.writeString(file, csv, StandardCharsets.UTF_8);
            String script = String.join(
                    "\n",
                    "import json, sys, pandas as pd",
                    "df = pd.read_csv(sys.argv[1])",
                    "v = " + expression,
                    "if isinstance(v, pd.Series):",
                    "    print(json.dumps({'kind': 'mapping', 'value': {str(k): float(x) for k, x in v.items()}}))",
                    "else:",
                    "    print(json.dumps({'kind': 'number', 'value': float(v)}))");
            Process python = new ProcessBuilder("/usr/bin/python3", "-c", script, file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(python.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, python.exitValue(), out);
            return JSON.readTree(out);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
