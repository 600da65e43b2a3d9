package io.llmanalytics.dashboard;

import static io.llmanalytics.share.ShareProfile.ALICE;
import static io.llmanalytics.share.ShareProfile.BOB;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.share.ShareProfile;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.ScriptedAnswers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dashboards: answers pinned by their code and re-run on the current datasets (a dataset added or refreshed gives the
 * new figure; a pin whose code now fails shows its error in its card), removed, reordered; bad input is a 4xx.
 */
@QuarkusTest
@TestProfile(ShareProfile.class)
class DashboardApiTest {

    static final String ORDERS = "region,amount\nNorth,10\nSouth,20\nNorth,5\n";
    static final String MORE = "region,amount\nEast,1\n";
    /** Rows in all datasets: follows every dataset added. */
    static final String ROWS = "result = int(sum(len(d) for d in dfs.values()))";
    /** Works while the session has one dataset; divides by zero once it has two. */
    static final String FRAGILE = "result = round(1 / (len(dfs) - 2), 3)";

    static final String CHART = """
            s = df.groupby('region')['amount'].sum()
            s.plot(kind='bar')
            result = s""";

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    PinStore store;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static String upload(String csv) {
        return as(ALICE)
                .multiPart("file", "orders.csv", csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/create")
                .then()
                .statusCode(201)
                .extract()
                .path("session_id");
    }

    String ask(String session, String question, String code) {
        return ScriptedAnswers.ask(stub, as(ALICE), session, question, code, "Here it is.")
                .get("conversation_id")
                .asText();
    }

    static Response pin(String key, String session, String interaction) {
        return as(key).contentType("application/json")
                .body(Map.of("interaction_id", interaction))
                .post("/api/session/" + session + "/pins");
    }

    static JsonPath dashboard(String session) {
        return as(ALICE)
                .get("/api/session/" + session + "/dashboard")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .jsonPath();
    }

    @Test
    void pinnedAnswersFollowTheDatasets() {
        String session = upload(ORDERS);
        String rows = ask(session, "How many rows in all datasets?", ROWS);
        String fragile = ask(session, "One over datasets minus two?", FRAGILE);
        String chart = ask(session, "Amount by region as a chart?", CHART);

        JsonPath first =
                pin(ALICE, session, rows).then().statusCode(201).extract().jsonPath();
        assertEquals(rows, first.getString("interaction_id"));
        assertEquals("How many rows in all datasets?", first.getString("question"));
        assertEquals(0, first.getInt("position"));
        String rowsPin = first.getString("pin_id");
        String fragilePin =
                pin(ALICE, session, fragile).then().statusCode(201).extract().path("pin_id");
        String chartPin =
                pin(ALICE, session, chart).then().statusCode(201).extract().path("pin_id");

        JsonPath board = dashboard(session);
        assertEquals(List.of(rowsPin, fragilePin, chartPin), board.getList("items.pin_id"));
        assertEquals(3, board.getInt("items[0].result"));
        assertEquals(-1.0f, board.getFloat("items[1].result"));
        assertNull(board.get("items[1].error"));
        assertEquals(15, board.getInt("items[2].result.data.North"));
        assertEquals(20, board.getInt("items[2].result.data.South"));
        assertEquals("image/png", board.getString("items[2].charts[0].mime"));
        assertTrue(board.getString("items[2].charts[0].data").length() > 100);
        String computed = board.getString("items[0].computed_at");

        // unchanged datasets: the cards are kept, not computed again
        assertEquals(computed, dashboard(session).getString("items[0].computed_at"));

        // a dataset added: the new figure, and the fragile pin's error in its card (not a 5xx)
        as(ALICE)
                .multiPart("file", "more.csv", MORE.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/" + session + "/datasets")
                .then()
                .statusCode(201);
        JsonPath after = dashboard(session);
        assertEquals(4, after.getInt("items[0].result"));
        assertNotEquals(computed, after.getString("items[0].computed_at"));
        assertEquals("execution", after.getString("items[1].error.kind"));
        assertTrue(after.getString("items[1].error.message").contains("ZeroDivisionError"), after.prettify());
        assertNull(after.get("items[1].result"));
        // df is still the first dataset: the chart's figures are the same
        assertEquals(15, after.getInt("items[2].result.data.North"));
        assertEquals(20, after.getInt("items[2].result.data.South"));

        // reordered: a permutation only
        as(ALICE)
                .contentType("application/json")
                .body(Map.of("pin_ids", List.of(chartPin, rowsPin, fragilePin)))
                .put("/api/session/" + session + "/pins/order")
                .then()
                .statusCode(200);
        assertEquals(List.of(chartPin, rowsPin, fragilePin), dashboard(session).getList("items.pin_id"));
        for (Object bad : List.of(
                List.of(chartPin, rowsPin),
                List.of(chartPin, rowsPin, rowsPin),
                List.of(chartPin, rowsPin, fragilePin, "x"),
                List.of(chartPin, rowsPin, "00000000-0000-0000-0000-000000000000"))) {
            Response r = as(ALICE)
                    .contentType("application/json")
                    .body(Map.of("pin_ids", bad))
                    .put("/api/session/" + session + "/pins/order");
            assertEquals(400, r.statusCode(), bad + ": " + r.asString());
            assertEquals("application/problem+json", r.contentType());
        }
        as(ALICE)
                .contentType("application/json")
                .body("{}")
                .put("/api/session/" + session + "/pins/order")
                .then()
                .statusCode(400);

        // removed
        as(ALICE)
                .delete("/api/session/" + session + "/pins/" + fragilePin)
                .then()
                .statusCode(204);
        assertEquals(List.of(chartPin, rowsPin), dashboard(session).getList("items.pin_id"));
        as(ALICE)
                .delete("/api/session/" + session + "/pins/" + fragilePin)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aRefreshedSourceGivesTheNewFigure() {
        ShareProfile.sql("DELETE FROM sales", "INSERT INTO sales VALUES ('North', 10.5), ('South', 20.0)");
        String session = as(ALICE)
                .contentType("application/json")
                .body(Map.of("source", "lite", "table", "sales"))
                .post("/api/session/create")
                .then()
                .statusCode(201)
                .extract()
                .path("session_id");
        String name = as(ALICE).get("/api/session/" + session).jsonPath().getString("datasets[0].name");
        String total = ask(session, "Total amount?", "result = float(df['amount'].sum())");
        pin(ALICE, session, total).then().statusCode(201);
        assertEquals(30.5f, dashboard(session).getFloat("items[0].result"));

        ShareProfile.sql("INSERT INTO sales VALUES ('East', 100.25)");
        as(ALICE)
                .post("/api/session/" + session + "/datasets/" + name + "/refresh")
                .then()
                .statusCode(200);
        assertEquals(3, as(ALICE).get("/api/session/" + session).jsonPath().getInt("datasets[0].rows"));
        assertEquals(130.75f, dashboard(session).getFloat("items[0].result"));
    }

    @Test
    void badPinsAreRefused() {
        String session = upload(ORDERS);
        String rows = ask(session, "How many rows in all datasets?", ROWS);
        String missing = "00000000-0000-0000-0000-000000000000";

        Response unknown = pin(ALICE, session, "no-such-interaction");
        assertEquals(404, unknown.statusCode(), unknown.asString());
        assertEquals("application/problem+json", unknown.contentType());
        assertEquals(404, pin(ALICE, missing, rows).statusCode());
        for (String body : List.of("{}", "{\"interaction_id\": \"\"}", "{\"interaction_id\": ", "[1]")) {
            Response r = as(ALICE).contentType("application/json").body(body).post("/api/session/" + session + "/pins");
            assertEquals(400, r.statusCode(), body + ": " + r.asString());
            assertEquals("application/problem+json", r.contentType(), body);
        }
        // another key: the same 404 as a session that does not exist, for every dashboard route
        String pinId =
                pin(ALICE, session, rows).then().statusCode(201).extract().path("pin_id");
        for (Response r : List.of(
                pin(BOB, session, rows),
                as(BOB).get("/api/session/" + session + "/dashboard"),
                as(BOB).get("/api/session/" + session + "/pins"),
                as(BOB).delete("/api/session/" + session + "/pins/" + pinId),
                as(BOB).contentType("application/json")
                        .body(Map.of("pin_ids", List.of(pinId)))
                        .put("/api/session/" + session + "/pins/order"))) {
            assertEquals(404, r.statusCode(), r.asString());
            assertEquals("No session with id '" + session + "'.", r.jsonPath().getString("detail"));
        }
        // pinned twice, and the limit (3 in this profile)
        Response twice = pin(ALICE, session, rows);
        assertEquals(409, twice.statusCode(), twice.asString());
        assertEquals(pinId, twice.jsonPath().getString("pin_id"));
        pin(ALICE, session, ask(session, "Rows again?", "result = len(df)"))
                .then()
                .statusCode(201);
        pin(ALICE, session, ask(session, "Sum?", "result = int(df['amount'].sum())"))
                .then()
                .statusCode(201);
        Response full = pin(ALICE, session, ask(session, "Max?", "result = int(df['amount'].max())"));
        assertEquals(409, full.statusCode(), full.asString());
        assertEquals(3, full.jsonPath().getInt("max_pins"));

        // the pins go with the session
        as(ALICE).delete("/api/session/" + session).then().statusCode(204);
        as(ALICE).get("/api/session/" + session + "/dashboard").then().statusCode(404);
    }

    @Test
    void anAnswerStoredTwiceAtOnceIsPinnedOnce() {
        String session = upload(ORDERS);
        String rows = ask(session, "How many rows in all datasets?", ROWS);
        // two pins of one answer that both passed the "pinned already?" check: the store keeps one
        Pin first = new Pin("p1-" + session, session, rows, "Rows?", ROWS, 0, Instant.now());
        Pin second = new Pin("p2-" + session, session, rows, "Rows?", ROWS, 1, Instant.now());
        store.insert(first).await().atMost(Duration.ofSeconds(30));

        ProblemException refused = assertThrows(
                ProblemException.class, () -> store.insert(second).await().atMost(Duration.ofSeconds(30)));

        assertEquals(409, refused.problem().status());
        assertEquals(
                List.of("p1-" + session),
                as(ALICE).get("/api/session/" + session + "/pins").jsonPath().getList("pins.pin_id"));
    }
}
