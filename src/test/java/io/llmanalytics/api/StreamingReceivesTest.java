package io.llmanalytics.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmanalytics.testing.OwnJvm;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * While the uploads parsed as they arrive are all taken (one here) by a client that sends slowly, another upload is
 * still served: read whole by the resource, then parsed, without waiting for the slow one.
 */
@QuarkusTest
@OwnJvm
@TestProfile(OneStreamingReceiveProfile.class)
class StreamingReceivesTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    SessionUploadRoute route;

    @Test
    void anUploadBeyondTheStreamingReceivesIsReadWholeThenParsed() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = receiving(tmp);
        String head = "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.csv\"\r\n\r\na,b\n1,2\n";
        try (Socket slow = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /api/session/create HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 100000\r\n\r\n"
                            + head)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> receiving(tmp) > before); // it holds the one slot
            long streamed = route.streamed();

            Response other = given().multiPart("file", "other.csv", "x,y\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8))
                    .post("/api/session/create");
            other.then().statusCode(201).body("data_info.rows", is(2)).body("file_name", is("other.csv"));
            assertEquals(streamed, route.streamed(), "read whole by the resource, not parsed while it arrived");
            given().delete("/api/session/" + other.jsonPath().getString("session_id"))
                    .then()
                    .statusCode(204);
        }
    }

    private static long receiving(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("upload-.*\\.part"))
                    .count();
        }
    }
}
