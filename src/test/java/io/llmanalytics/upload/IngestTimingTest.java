package io.llmanalytics.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every upload reports the time of each phase of its ingest: in the response's {@code Server-Timing} header (the
 * phases that ran, in order, with their durations in ms) and in the {@code upload.phase} timer by phase, format and
 * outcome (a failed upload's phases too).
 */
@QuarkusTest
class IngestTimingTest {

    private static final Pattern METRIC = Pattern.compile("^([a-z-]+);dur=(\\d+\\.\\d)$");

    static final String CANONICAL = """
            date,category,quantity,revenue
            2024-01-05,Electronics,2,600.0
            2024-01-06,Furniture,1,150.5
            2024-02-11,Electronics,1,999.5
            2024-02-12,Office,10,15.0
            """;

    /** A semicolon-separated file with decimal commas: not canonical, so a canonical copy is written and stored. */
    static final String NOT_CANONICAL = """
            date;category;quantity;revenue
            05.01.2024;Electronics;2;600,0
            06.01.2024;Furniture;1;150,5
            """;

    static Map<String, Double> serverTiming(Response r) {
        String header = r.getHeader("Server-Timing");
        assertTrue(header != null && !header.isBlank(), "no Server-Timing header: " + r.getHeaders());
        Map<String, Double> phases = new LinkedHashMap<>();
        for (String metric : header.split(", ")) {
            Matcher m = METRIC.matcher(metric);
            assertTrue(m.matches(), "not a Server-Timing metric: '" + metric + "' in " + header);
            phases.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return phases;
    }

    static double phaseCount(String phase, String format, String outcome) {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^upload_phase_seconds_count\\{([^}]*)\\} ([0-9.eE+-]+)$")
                .matcher(metrics);
        double total = 0;
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("phase=\"" + phase + "\"")
                    && labels.contains("format=\"" + format + "\"")
                    && labels.contains("outcome=\"" + outcome + "\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    @Test
    void aCanonicalUploadReportsItsPhases() {
        double parsesBefore = phaseCount("parse", "csv", "ok");
        Response r = Uploads.upload("timed.csv", CANONICAL.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.statusCode(), r.asString());
        Map<String, Double> phases = serverTiming(r);
        // the file is its own canonical copy: nothing else is stored, and it has one dataset (no join keys)
        assertEquals(
                List.of(
                        "receive",
                        "parse",
                        "store-original",
                        "drafts",
                        "join-keys",
                        "session",
                        "event",
                        "cleanup",
                        "ingest"),
                List.copyOf(phases.keySet()),
                phases.toString());
        assertTrue(phases.get("ingest") >= phases.get("parse"), phases.toString());
        assertTrue(phases.get("ingest") >= phases.get("session"), phases.toString());
        assertTrue(phases.get("ingest") > 0, phases.toString());
        // the drafts were made while the phases were timed
        given().get("/api/session/" + r.jsonPath().getString("session_id") + "/datasets/timed/dictionary")
                .then()
                .statusCode(200)
                .body("columns.date.description", equalTo("dates from 2024-01-05 to 2024-02-12"));
        assertEquals(parsesBefore + 1, phaseCount("parse", "csv", "ok"), 1e-9);
    }

    @Test
    void aRewrittenUploadReportsItsCanonicalStore() {
        double storesBefore = phaseCount("store-canonical", "csv", "ok");
        Response r = Uploads.upload("semicolons.csv", NOT_CANONICAL.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.statusCode(), r.asString());
        Map<String, Double> phases = serverTiming(r);
        assertTrue(phases.containsKey("store-canonical"), phases.toString());
        assertTrue(phases.containsKey("drafts"), phases.toString());
        assertEquals(storesBefore + 1, phaseCount("store-canonical", "csv", "ok"), 1e-9);
    }

    @Test
    void aFailedUploadHasNoHeaderButItsPhasesAreCounted() {
        double before = phaseCount("parse", "unknown", "unreadable-file");
        Response r = Uploads.upload("ragged.csv", "a,b\n1,2\n1,2,3\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode(), r.asString());
        assertNull(r.getHeader("Server-Timing"));
        assertEquals(before + 1, phaseCount("parse", "unknown", "unreadable-file"), 1e-9);
    }
}
