package io.llmanalytics.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestBody} behind a real Vert.x HTTP server (chunks of up to 256 KiB, as the service's), read on a worker
 * thread as the upload route reads it, with clients on raw sockets so that the test controls what is sent and when.
 */
class RequestBodyTest {

    /** How the test's server reads a body on its worker thread; answers with what this returns. */
    interface BodyReader {
        String read(RequestBody body) throws IOException;
    }

    private static Vertx vertx;
    private static HttpServer server;
    private static final ExecutorService workers = Executors.newCachedThreadPool();
    private static final AtomicReference<BodyReader> reader = new AtomicReference<>();
    private static final AtomicReference<Duration> stall = new AtomicReference<>(Duration.ofSeconds(60));
    /** The body the server is reading now, for tests that act on it from outside. */
    private static final AtomicReference<RequestBody> reading = new AtomicReference<>();

    @BeforeAll
    static void serve() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setMaxChunkSize(256 * 1024))
                .requestHandler(RequestBodyTest::handle)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    @AfterAll
    static void stop() {
        workers.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static void handle(HttpServerRequest request) {
        request.pause(); // as the route does, before a worker thread takes the body over
        workers.execute(() -> {
            String answer;
            int status = 200;
            try (RequestBody body = new RequestBody(request, stall.get())) {
                reading.set(body);
                answer = reader.get().read(body);
            } catch (IOException e) {
                status = 400;
                answer = "failed: " + e.getMessage();
            }
            request.response().setStatusCode(status).end(answer);
        });
    }

    @Test
    void largeBodiesArriveWholeAndInOrderInBatchesThroughPausesAndResumes() throws Exception {
        // the reader digests in small reads, slower than the loopback sends: the request is paused and resumed over and
        // over, so a resume that went missing would stall an upload, and fail it after the stall
        stall.set(Duration.ofSeconds(10));
        BodyReader digest = body -> {
            MessageDigest sha = sha256();
            byte[] buffer = new byte[4096];
            long total = 0;
            int read;
            while ((read = body.read(buffer, 0, buffer.length)) != -1) {
                sha.update(buffer, 0, read);
                total += read;
            }
            return total + " " + HexFormat.of().formatHex(sha.digest()) + " " + body.batches();
        };
        reader.set(digest);
        Random random = new Random(20);
        for (int upload = 0; upload < 12; upload++) {
            byte[] content = new byte[(16 << 20) + random.nextInt(1 << 20)];
            random.nextBytes(content);
            String[] answer = post(content).body().split(" ");
            assertEquals(String.valueOf(content.length), answer[0], "upload " + upload);
            assertEquals(HexFormat.of().formatHex(sha256().digest(content)), answer[1], "upload " + upload);
            // 64 KiB network reads would be over 250 hand-overs one by one; a batch gathers up to a megabyte or more
            assertTrue(Integer.parseInt(answer[2]) <= 100, "batches: " + answer[2]);
        }
    }

    @Test
    void aClientExpectingContinueIsToldToSendAtTheFirstRead() throws Exception {
        reader.set(body -> new String(body.readAllBytes(), StandardCharsets.UTF_8));
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // the client sends nothing until told to: without the 100, this read times out
            assertEquals("HTTP/1.1 100 Continue", line(in));
            assertEquals("", line(in));
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Answer answer = Answer.read(in);
            assertEquals(200, answer.status());
            assertEquals("hello", answer.body());
        }
    }

    @Test
    void aFewBytesAreHandedOverWithoutWaitingForABatchOrTheEnd() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        reader.set(body -> {
            byte[] start = body.readNBytes(10);
            first.complete(new String(start, StandardCharsets.US_ASCII));
            return new String(body.readAllBytes(), StandardCharsets.US_ASCII);
        });
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20\r\n\r\n0123456789"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the rest is sent only once the server has read the first ten bytes
            assertEquals("0123456789", first.get(10, TimeUnit.SECONDS));
            out.write("abcdefghij".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Answer answer = Answer.read(socket.getInputStream());
            assertEquals("abcdefghij", answer.body());
        }
    }

    @Test
    void aBodyThatStopsArrivingFailsTheReadAfterTheStallAndTheConnectionIsClosed() throws Exception {
        stall.set(Duration.ofMillis(300));
        CompletableFuture<IOException> failure = new CompletableFuture<>();
        reader.set(body -> {
            try {
                body.readAllBytes();
                return "read whole";
            } catch (IOException e) {
                failure.complete(e);
                throw e;
            }
        });
        try (Socket socket = connect()) {
            socket.getOutputStream()
                    .write("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nhalf"
                            .getBytes(StandardCharsets.US_ASCII));
            assertTrue(failure.get(10, TimeUnit.SECONDS).getMessage().startsWith("Read timed out"));
            // the server closes the connection: the client reads to its end (a connection left open would time the read
            // out). The handler's answer may or may not get out before the close, as it races the close on the loop.
            String rest = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(rest.isEmpty() || rest.startsWith("HTTP/1.1 400 "), rest);
        }
    }

    @Test
    void anAbortWakesAReadThatIsWaiting() throws Exception {
        stall.set(Duration.ofSeconds(60));
        reading.set(null);
        reader.set(body -> new String(body.readAllBytes(), StandardCharsets.US_ASCII));
        try (Socket socket = connect()) {
            socket.getOutputStream()
                    .write("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nhalf"
                            .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(10)).until(() -> reading.get() != null);
            reading.get().abort(new IOException("the request was answered"));
            Answer answer = Answer.read(socket.getInputStream());
            assertEquals(400, answer.status());
            assertEquals("failed: the request was answered", answer.body());
        }
    }

    @Test
    void closedEarlyTheRestOfTheBodyIsDroppedAndTheConnectionServesTheNextRequest() throws Exception {
        stall.set(Duration.ofSeconds(60));
        reader.set(body -> "took " + body.readNBytes(100).length);
        byte[] content = new byte[8 << 20];
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(content); // more than the socket buffers and the reader's queue hold: read and dropped
            out.flush();
            assertEquals("took 100", Answer.read(in).body());
            reader.set(body -> new String(body.readAllBytes(), StandardCharsets.US_ASCII));
            out.write("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nnext"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("next", Answer.read(in).body());
        }
    }

    @Test
    void aClosedStreamCannotBeReadAndReadsOfNothingReturnAtOnce() throws Exception {
        reader.set(body -> {
            byte[] into = new byte[4];
            String empty = body.read(into, 0, 0) + " " + body.available();
            assertThrows(IndexOutOfBoundsException.class, () -> body.read(into, 3, 2));
            int first = body.read();
            String rest = new String(body.readAllBytes(), StandardCharsets.US_ASCII);
            int end = body.read();
            body.close();
            IOException closed = assertThrows(IOException.class, body::read);
            return empty + " " + (char) first + rest + " " + end + " " + closed.getMessage();
        });
        try (Socket socket = connect()) {
            socket.getOutputStream()
                    .write("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc"
                            .getBytes(StandardCharsets.US_ASCII));
            assertEquals(
                    "0 0 abc -1 Stream is closed",
                    Answer.read(socket.getInputStream()).body());
        }
    }

    @Test
    void aRequestWithoutABodyReadsAsEmpty() throws Exception {
        reader.set(body -> "read " + body.readAllBytes().length);
        try (Socket socket = connect()) {
            socket.getOutputStream()
                    .write("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            assertEquals("read 0", Answer.read(socket.getInputStream()).body());
        }
    }

    /** Posts {@code content} with its length and returns the answer. */
    private static Answer post(byte[] content) throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return Answer.read(socket.getInputStream());
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.actualPort());
        socket.setSoTimeout(30_000); // a server that stops answering fails the test instead of hanging it
        return socket;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A line of the answer's head, without its CRLF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new IOException("the connection ended in the middle of a line");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** An answer with a content-length, as the test server sends them. */
    private record Answer(int status, String body) {

        static Answer read(InputStream in) throws IOException {
            int status = Integer.parseInt(line(in).split(" ")[1]);
            int length = 0;
            String header;
            while (!(header = line(in)).isEmpty()) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(
                            header.substring("content-length:".length()).trim());
                }
            }
            return new Answer(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }
}
