package io.llmanalytics.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The session upload read as it streams in ({@link SessionUploadRoute}): what a client sends that is not a plain
 * one-file form, and a client that goes away halfway.
 */
@QuarkusTest
class SessionUploadRouteTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void theFirstPartNamedFileIsTheTableWhateverComesAroundIt() {
        Response created = given().multiPart("note", "not a table")
                .multiPart("file", "first.csv", "city,visits\nOslo,3\nLima,4\n".getBytes(StandardCharsets.UTF_8))
                .multiPart("file", "second.csv", "x\n1\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/session/create");
        created.then()
                .statusCode(201)
                .header("Location", containsString("/api/session/"))
                .header("Server-Timing", containsString("receive"))
                .body("file_name", is("first.csv"))
                .body("data_info.rows", is(2))
                .body("data_info.columns", is(2))
                .body("profile.city.top_values.value", containsInAnyOrder("Oslo", "Lima"));
        given().delete("/api/session/" + created.jsonPath().getString("session_id"))
                .then()
                .statusCode(204);
    }

    @Test
    void aFileNameIsKeptAsSentWithItsEqualSignsSemicolonsAndCommas() {
        Response created = given().multiPart("file", "sales = 2024; Q1, v2.csv", "a\n1\n".getBytes())
                .post("/api/session/create");
        created.then().statusCode(201).body("file_name", is("sales = 2024; Q1, v2.csv"));
        given().delete("/api/session/" + created.jsonPath().getString("session_id"))
                .then()
                .statusCode(204);
    }

    @Test
    void aBodyThatIsNotMultipartIsRefusedSayingWhatToSend() throws IOException {
        String answer =
                send("Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 11\r\n\r\nhello world");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        assertTrue(answer.contains("multipart/form-data field named 'file'"), answer);
    }

    @Test
    void aFileNameWithANulCharacterIsRefusedAndLeavesNoFileBehind() throws IOException {
        Set<Path> before = uploadFiles(Path.of(System.getProperty("java.io.tmpdir")));
        String body = "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\u0000.csv\"\r\n\r\n"
                + "a\n1\n\r\n--XYZ--\r\n";
        String answer = send("Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body);
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> before.containsAll(uploadFiles(Path.of(System.getProperty("java.io.tmpdir")))));
    }

    @Test
    void aMultipartTypeWithoutABoundaryIsRefused() throws IOException {
        String answer = send("Content-Type: multipart/form-data\r\nContent-Length: 4\r\n\r\nabcd");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("boundary"), answer);
    }

    @Test
    void aClientThatGoesAwayHalfwayLeavesNoSessionAndNoFileBehind() throws Exception {
        long sessionsBefore = sessions();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = uploadFiles(tmp);
        StringBuilder rows = new StringBuilder("a,b\n");
        for (int i = 0; i < 200_000; i++) {
            rows.append(i).append(',').append(i * 2).append('\n');
        }
        String head = "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n";
        byte[] part = rows.toString().getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/session/create HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: "
                            + (head.length() + part.length + 10) + "\r\n\r\n" + head)
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(part, 0, part.length / 2);
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> !before.containsAll(uploadFiles(tmp)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> before.containsAll(uploadFiles(tmp)));
        assertEquals(sessionsBefore, sessions());
    }

    /** The upload files in {@code dir} now. */
    private static Set<Path> uploadFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("upload-.*\\.part"))
                    .collect(Collectors.toSet());
        }
    }

    private static long sessions() {
        return given().get("/api/sessions?limit=100")
                .jsonPath()
                .getList("sessions")
                .size();
    }

    /** Sends a session upload with {@code headersAndBody} as is and returns the whole answer. */
    private String send(String headersAndBody) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/session/create HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headersAndBody)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
