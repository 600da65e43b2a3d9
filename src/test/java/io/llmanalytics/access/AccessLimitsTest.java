package io.llmanalytics.access;

import static io.llmanalytics.access.AccessControlTest.CSV;
import static io.llmanalytics.access.AccessControlTest.as;
import static io.llmanalytics.access.AccessProfile.BOB;
import static io.llmanalytics.access.AccessProfile.CAROL;
import static io.llmanalytics.access.AccessProfile.DAVE;
import static io.llmanalytics.access.AccessProfile.ERIN;
import static io.llmanalytics.access.AccessProfile.FRANK;
import static io.llmanalytics.access.AccessProfile.GRACE;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The limits per caller (uploads and analyses per minute, analyses at once, stored bytes: 429 with an accurate
 * Retry-After), and the request size and pace limits (headers 431, JSON bodies 413, trickling uploads 408). Each test
 * is a different caller, so counters never carry over between tests.
 */
@QuarkusTest
@TestProfile(AccessProfile.class)
class AccessLimitsTest {

    static final String MISSING = "/api/session/00000000-0000-0000-0000-000000000000/analyze";
    static final ObjectMapper JSON = new ObjectMapper();

    @jakarta.inject.Inject
    Access access;

    @TestHTTPResource("/")
    URI base;

    static void assertTooMany(Response r, String... inDetail) {
        assertEquals(429, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        long retryAfter = Long.parseLong(r.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        for (String text : inDetail) {
            assertTrue(
                    r.jsonPath().getString("detail").contains(text),
                    r.jsonPath().getString("detail"));
        }
    }

    @Test
    void uploadsPerMinute() {
        for (int i = 0; i < AccessProfile.UPLOADS_PER_MINUTE; i++) {
            AccessControlTest.upload(FRANK, "f" + i + ".csv", CSV);
        }
        Response refused = as(FRANK)
                .multiPart("file", "more.csv", CSV.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/create");
        assertTooMany(
                refused, AccessProfile.UPLOADS_PER_MINUTE + " uploads per minute", "RATE_LIMIT_UPLOADS_PER_MINUTE");
        assertEquals("too-many-requests", refused.jsonPath().getString("type").replaceAll(".*:", ""));
        // the window slides: the wait is what is left of the minute since the first upload, never more
        assertTrue(Long.parseLong(refused.header("Retry-After")) <= 60);
        // another caller is not limited by Frank's uploads
        AccessControlTest.upload(CAROL, "carol-more.csv", CSV);
    }

    @Test
    void analysesPerMinuteCountEveryRequestAndTheOversizedBodyIsRefusedFirst() {
        String big = "{\"question\": \"" + "x".repeat(70 * 1024) + "\"}";
        as(DAVE).contentType("application/json")
                .body(big)
                .post(MISSING)
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("MAX_JSON_BODY_SIZE"))
                .body("max_bytes", org.hamcrest.Matchers.equalTo(64 * 1024));
        for (int i = 0; i < AccessProfile.ANALYSES_PER_MINUTE; i++) {
            as(DAVE).contentType("application/json")
                    .accept("application/json")
                    .body(AccessControlTest.QUESTION)
                    .post(MISSING)
                    .then()
                    .statusCode(404);
        }
        Response refused = as(DAVE).contentType("application/json")
                .accept("text/event-stream")
                .body(AccessControlTest.QUESTION)
                .post(MISSING);
        assertTooMany(
                refused, AccessProfile.ANALYSES_PER_MINUTE + " analyses per minute", "RATE_LIMIT_ANALYSES_PER_MINUTE");
    }

    @Test
    void aChunkedJsonBodyOverTheLimitIsRefused() throws Exception {
        // on an existing session: for any other the answer, 404, comes before the body is read
        String session = AccessControlTest.upload(CAROL, "chunked.csv", CSV);
        byte[] big = ("{\"question\": \"" + "y".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/session/" + session + "/analyze"))
                .header("Authorization", "Bearer " + CAROL)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode(), response.body());
            assertTrue(response.body().contains("MAX_JSON_BODY_SIZE"), response.body());
        }
    }

    @Test
    void concurrentAnalysesAreLimitedAndASlotIsFreedWhenTheClientGoesAway() throws Exception {
        // an analyze request whose body has not all arrived holds Erin's only slot (on her own session: for any other
        // the answer, 404, comes before the body is read)
        String session = AccessControlTest.upload(ERIN, "erin.csv", CSV);
        try (Socket held = new Socket()) {
            held.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            OutputStream out = held.getOutputStream();
            out.write(("POST /api/session/" + session + "/analyze HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                            + ERIN
                            + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: 100\r\n\r\n{\"quest")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // its slot is taken in the store before it counts (a round trip): ask only once it holds it, or a question
            // arriving first would take the slot and the held request would be the one refused
            io.llmanalytics.testing.Conditions.until(
                    "the held request has its slot",
                    java.time.Duration.ofSeconds(20),
                    () -> access.shared().map(SharedLimits::held).orElse(0) >= 1);
            Response refused = awaitStatus(
                    429,
                    () -> as(ERIN).contentType("application/json")
                            .body(AccessControlTest.QUESTION)
                            .post(MISSING));
            assertTooMany(refused, "1 analyses running at once", "RATE_LIMIT_CONCURRENT_STREAMS");
        }
        // the held connection is closed: its slot comes back
        awaitStatus(
                404,
                () -> as(ERIN).contentType("application/json")
                        .accept("application/json")
                        .body(AccessControlTest.QUESTION)
                        .post(MISSING));
    }

    /** Repeats {@code call} until it answers {@code status} (the server sees a socket's bytes or its close a little later). */
    static Response awaitStatus(int status, Supplier<Response> call) throws InterruptedException {
        AtomicReference<Response> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        last.set(call.get());
                        return last.get().statusCode() == status;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "expected " + status + " but the last answer was "
                            + last.get().statusCode() + ": " + last.get().asString(),
                    e);
        }
        return last.get();
    }

    @Test
    void storedBytesPerCaller() {
        String rows = "a,b\n" + "1234567890,abcdefghij\n".repeat(1400); // about 30 KB
        AccessControlTest.upload(GRACE, "first.csv", rows);
        Response refused = as(GRACE)
                .multiPart("file", "second.csv", rows.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/create");
        assertTooMany(refused, "MAX_STORED_BYTES_PER_CALLER", Integer.toString(AccessProfile.STORED_BYTES));
        assertEquals("quota-exceeded", refused.jsonPath().getString("type").replaceAll(".*:", ""));
        // deleting a session makes room
        String id = as(GRACE).get("/api/sessions").then().extract().path("sessions[0].session_id");
        as(GRACE).delete("/api/session/" + id).then().statusCode(204);
        AccessControlTest.upload(GRACE, "second.csv", rows);
    }

    @Test
    void headersOverTheLimitAreRefused() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET /api/sessions HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "z".repeat(40 * 1024)
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String status = new String(readAll(socket.getInputStream()), StandardCharsets.US_ASCII)
                    .lines()
                    .findFirst()
                    .orElse("");
            assertTrue(status.startsWith("HTTP/1.1 431"), status);
        }
    }

    @Test
    void anUploadSlowerThanTheFloorIsCutOff() throws Exception {
        long start = System.nanoTime();
        String head = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\na,b\r\n";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/session/create HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + BOB
                            + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"
                            + head)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // 100 bytes a second, far below the floor of 2 KiB/s, until the server gives up
            byte[] row = "1,2\r\n".repeat(20).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 40 && socket.getInputStream().available() == 0; i++) {
                    out.write(row);
                    out.flush();
                    Thread.sleep(1000);
                }
            } catch (SocketException closed) {
                // the server closed the connection while we were sending: read what it answered
            }
            String answer = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            JsonNode problem = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertTrue(problem.get("detail").asText().contains("UPLOAD_MIN_BYTES_PER_SECOND"), problem.toString());
            assertEquals(
                    AccessProfile.MIN_BYTES_PER_SECOND,
                    problem.get("min_bytes_per_second").asInt());
            assertTrue(seconds < 30, "cut off after " + seconds + " s");
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketException | java.net.SocketTimeoutException e) {
            // reset or no more: what arrived is the answer
        }
        return bytes.toByteArray();
    }
}
