package io.llmanalytics.analyst.offline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The offline analyst explains a result longer than the client's sample from the whole result, computed in the
 * worker: "total revenue per day" over 731 days names the true highest and lowest day, which lie beyond the first 100.
 */
@QuarkusTest
class OfflineWholeResultTest {

    static final int DAYS = 731;
    static final int HIGH = 500;
    static final int LOW = 600;

    static String ledger() {
        StringBuilder csv = new StringBuilder("order_id,order_date,region,revenue\n");
        LocalDate start = LocalDate.of(2023, 1, 1);
        int id = 1;
        for (int i = 0; i < DAYS; i++) {
            // two orders a day; the daily totals peak on day 500 and bottom out on day 600
            double first = i == HIGH ? 60_000 : i == LOW ? 1 : 400 + (i * 37 % 97);
            double second = i == HIGH ? 30_000 : i == LOW ? 2 : 500 + (i * 53 % 89);
            csv.append(id++)
                    .append(',')
                    .append(start.plusDays(i))
                    .append(",East,")
                    .append(first)
                    .append('\n');
            csv.append(id++)
                    .append(',')
                    .append(start.plusDays(i))
                    .append(",West,")
                    .append(second)
                    .append('\n');
        }
        return csv.toString();
    }

    @Test
    void theSentenceNamesTheTrueHighestAndLowestDayOfTheWholeResult() {
        String session = Uploads.sessionOf("ledger.csv", ledger());
        SseEvents events = SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", "total revenue per day"))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        JsonNode done = events.done();
        assertTrue(done.get("error").isNull(), done.toString());
        JsonNode result = events.named("result").get(0).data();
        assertTrue(result.get("truncated").asBoolean(), "the client gets a sample: " + result);
        assertEquals(
                DAYS,
                result.get("result")
                        .path("length")
                        .asInt(result.get("result").path("total_rows").asInt()));
        String text = done.get("interpretation").asText();
        String highDay = LocalDate.of(2023, 1, 1).plusDays(HIGH).toString();
        String lowDay = LocalDate.of(2023, 1, 1).plusDays(LOW).toString();
        assertTrue(text.contains(highDay) && text.contains("90,000"), "the true highest day: " + text);
        assertTrue(text.contains(lowDay) && text.matches("(?s).*\\b3\\b.*"), "the true lowest day: " + text);
        assertTrue(
                done.get("grounding").get("ok").asBoolean(),
                done.get("grounding").toString());

        // the offline analyst always states its reading: the same in its event, the answer and the history
        List<SseEvents.Event> readings = events.named("reading");
        assertEquals(1, readings.size(), events.names().toString());
        String reading = done.get("reading").asText();
        assertTrue(reading.toLowerCase(java.util.Locale.ROOT).contains("revenue"), reading);
        assertEquals(reading, readings.get(0).data().get("text").asText());
        assertTrue(events.names().indexOf("reading") < events.names().indexOf("result"));
        JsonNode entry = given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .extract()
                .as(JsonNode.class)
                .get("history")
                .get(0);
        assertEquals(reading, entry.path("reading").asText());
        assertFalse(entry.get("result_summary").asText().contains("among the first"), entry.toString());
    }
}
