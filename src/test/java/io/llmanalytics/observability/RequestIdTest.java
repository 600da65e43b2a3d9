package io.llmanalytics.observability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every response carries a correlation id in {@code X-Request-Id} (the caller's when plausible, a new UUID
 * otherwise), and every problem document carries the same id as {@code request_id}, whichever part of the API
 * answered: an exception mapper, a request filter, or the early upload-size check that answers before any of the
 * body is read.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class RequestIdTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aNewIdIsGivenAndRepeatedInTheProblem() {
        Response r = given().get("/api/session/" + UUID.randomUUID());
        r.then().statusCode(404).contentType("application/problem+json");
        String id = r.header(RequestIds.HEADER);
        assertEquals(id, UUID.fromString(id).toString(), "a UUID");
        assertEquals(id, r.jsonPath().getString("request_id"));
        assertNotEquals(
                id, given().get("/api/session/" + UUID.randomUUID()).header(RequestIds.HEADER), "one id per request");
    }

    @Test
    void theCallersIdIsKept() {
        Response r = given().header(RequestIds.HEADER, "trace-42.a_b:c").get("/api/session/" + UUID.randomUUID());
        assertEquals("trace-42.a_b:c", r.header(RequestIds.HEADER));
        assertEquals("trace-42.a_b:c", r.jsonPath().getString("request_id"));
    }

    @Test
    void implausibleIdsAreReplaced() {
        for (String given : new String[] {"has spaces", "x".repeat(129), "<script>", "a\"b"}) {
            Response r = given().header(RequestIds.HEADER, given).get("/api/session/" + UUID.randomUUID());
            String id = r.header(RequestIds.HEADER);
            assertNotEquals(given, id);
            UUID.fromString(id);
            assertEquals(id, r.jsonPath().getString("request_id"));
        }
    }

    @Test
    void successfulResponsesAndQuarkusEndpointsCarryTheIdToo() {
        assertNotNull(
                given().get("/q/health/live").then().statusCode(200).extract().header(RequestIds.HEADER));
        assertNotNull(
                given().get("/api/sessions").then().statusCode(200).extract().header(RequestIds.HEADER));
    }

    @Test
    void problemsFromFiltersAndMappersCarryIt() {
        Response filtered = given().header(RequestIds.HEADER, "filter-1")
                .contentType("application/json")
                .accept("text/event-stream")
                .body("{\"question\": \"Anything?\"}")
                .post("/api/session/" + UUID.randomUUID() + "/analyze");
        filtered.then().statusCode(404);
        assertEquals("filter-1", filtered.jsonPath().getString("request_id"), "from ExistingSessionFilter");
        Response json = given().header(RequestIds.HEADER, "mapper-1")
                .contentType("application/json")
                .accept("application/json")
                .body("{\"question\": ")
                .post("/api/session/" + UUID.randomUUID() + "/analyze");
        json.then().statusCode(400);
        assertEquals("mapper-1", json.jsonPath().getString("request_id"), "from the JSON exception mapper");
        Response bad = given().header(RequestIds.HEADER, "mapper-2").get("/api/sessions?limit=0");
        bad.then().statusCode(400);
        assertEquals("mapper-2", bad.jsonPath().getString("request_id"));
    }

    @Test
    void theEarlyUploadRefusalCarriesItAndIsCounted() throws IOException {
        double before = MetricsExposedTest.metrics().sum("upload_rejected_total", "reason", "too_large");
        String head;
        String body;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/session/create HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: upload-1\r\n"
                            + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder h = new StringBuilder();
            while (!h.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                h.append((char) b);
            }
            head = h.toString();
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)")
                    .matcher(head);
            assertTrue(length.find(), head);
            body = new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
        }
        assertTrue(head.startsWith("HTTP/1.1 413"), head);
        assertTrue(head.toLowerCase().contains("x-request-id: upload-1"), head);
        JsonNode problem = new ObjectMapper().readTree(body);
        assertEquals("upload-1", problem.path("request_id").asText(), body);
        assertEquals(413, problem.path("status").asInt());
        assertEquals(
                1, MetricsExposedTest.metrics().sum("upload_rejected_total", "reason", "too_large") - before, 1e-9);
    }
}
