package io.llmanalytics.datasets;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The offline analyst (the default without a model) in a session of several datasets: it does not join, but it
 * answers a question about the added dataset on that dataset.
 */
@QuarkusTest
class OfflineSessionDatasetsTest {

    @Test
    void aQuestionAboutTheAddedDatasetIsAnsweredOnIt() {
        String session = Uploads.sessionOf("orders.csv", SessionDatasetsTest.ORDERS);
        SessionDatasetsTest.add(
                        session, "customers.csv", SessionDatasetsTest.CUSTOMERS.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201);
        JsonNode done = SseEvents.parse(given().contentType("application/json")
                        .accept("text/event-stream")
                        .body("{\"question\": \"How many customers are there per region?\"}")
                        .post("/api/session/" + session + "/analyze")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .done();
        assertEquals("offline", done.get("usage").get("analyst").asText(), done.toString());
        assertTrue(done.get("generated_code").asText().contains("dfs['customers']"), done.toString());
        Map<String, Integer> counts = new TreeMap<>();
        done.get("raw_result")
                .get("data")
                .fields()
                .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> expected = new TreeMap<>();
        SessionDatasetsTest.CUSTOMERS
                .lines()
                .skip(1)
                .map(l -> l.split(",")[2])
                .forEach(r -> expected.merge(r, 1, Integer::sum));
        assertEquals(expected, counts);
    }
}
