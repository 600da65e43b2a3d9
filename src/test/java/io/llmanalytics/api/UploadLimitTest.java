package io.llmanalytics.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A 150 MB upload (the limit is 100 MB) is refused with a 413 problem, both when the client declares its length and
 * when it streams chunked, and the service never holds the body in its heap.
 */
@QuarkusTest
class UploadLimitTest {

    private static final long SIZE = 150L * 1024 * 1024;
    private static final String BOUNDARY = "----limit-test-boundary";

    @TestHTTPResource("/api/session/create")
    URI create;

    @Inject
    SessionUploadRoute route;

    @Test
    void declaredLengthOverTheLimitIsRefusedAtOnce() throws Exception {
        long oldGenBefore = resetOldGenPeak();
        HttpResponse<String> response = send(HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(body()), SIZE + overhead()));
        assertRefused(response);
        assertHeapDidNotHoldTheUpload(oldGenBefore);
    }

    @Test
    void chunkedUploadOverTheLimitIsRefused() throws Exception {
        long oldGenBefore = resetOldGenPeak();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = uploadFiles(tmp);
        HttpResponse<String> response = send(HttpRequest.BodyPublishers.ofInputStream(body()));
        assertRefused(response);
        assertHeapDidNotHoldTheUpload(oldGenBefore);
        // what had arrived of it is deleted at once, and the thread reading it is free again, not when the read it was
        // waiting for gives up (60 s): a service stopping then would wait for it
        await().atMost(Duration.ofSeconds(20)).until(() -> before.containsAll(uploadFiles(tmp)));
        await().atMost(Duration.ofSeconds(10)).until(() -> route.receiving() == 0);
    }

    private static Set<Path> uploadFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("upload-.*\\.part"))
                    .collect(Collectors.toSet());
        }
    }

    private HttpResponse<String> send(HttpRequest.BodyPublisher publisher) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(create)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .timeout(Duration.ofMinutes(2)) // a server that stops reading must fail the test, not hang it
                .POST(publisher)
                .build();
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the server may close the connection while the client is still sending: that is a refusal too,
            // but the test wants to see the problem document, so it fails here
            throw new AssertionError("connection closed without a 413 answer: " + e, e);
        }
    }

    private static void assertRefused(HttpResponse<String> response) throws IOException {
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(
                "application/problem+json",
                response.headers().firstValue("content-type").orElse(""));
        JsonNode problem = new ObjectMapper().readTree(response.body());
        assertEquals(413, problem.get("status").asInt());
        assertTrue(problem.get("detail").asText().contains("MAX_UPLOAD_SIZE"), problem.toString());
    }

    private static long resetOldGenPeak() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : oldPools()) {
            pool.resetPeakUsage();
            used += pool.getUsage().getUsed();
        }
        return used;
    }

    private static void assertHeapDidNotHoldTheUpload(long before) {
        long peak =
                oldPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long grown = peak - before;
        assertTrue(
                grown < 50L * 1024 * 1024,
                "old generation grew by " + grown / (1024 * 1024) + " MB during a 150 MB upload");
    }

    private static List<MemoryPoolMXBean> oldPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP
                        && (p.getName().contains("Old") || p.getName().contains("Tenured")))
                .toList();
    }

    private static long overhead() {
        return head().length + tail().length;
    }

    private static byte[] head() {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\na,b,c\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] tail() {
        return ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A multipart body with a 150 MB CSV, generated on the fly. */
    private static Supplier<InputStream> body() {
        return () -> new InputStream() {
            private final byte[] head = head();
            private final byte[] tail = tail();
            private final byte[] row = "1,2,3\r\n".getBytes(StandardCharsets.US_ASCII);
            private long pos;

            @Override
            public int read() {
                long total = head.length + SIZE + tail.length;
                if (pos >= total) {
                    return -1;
                }
                long p = pos++;
                if (p < head.length) {
                    return head[(int) p];
                }
                if (p < head.length + SIZE) {
                    return row[(int) ((p - head.length) % row.length)];
                }
                return tail[(int) (p - head.length - SIZE)];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = 0;
                while (n < len) {
                    int c = read();
                    if (c < 0) {
                        return n == 0 ? -1 : n;
                    }
                    b[off + n++] = (byte) c;
                }
                return n;
            }
        };
    }
}
