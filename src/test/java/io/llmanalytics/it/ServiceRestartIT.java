package io.llmanalytics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.PackagedService;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service stopped (SIGTERM, as Kubernetes does) while an analysis streams: the client sees the stream end within a
 * bounded time (an {@code error} event, shutting-down, or a clean close), never a hang; after a restart on the same
 * data directory the session is intact, no answer was stored for the interrupted run, and analyses work again.
 */
class ServiceRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STREAM_END_LIMIT = Duration.ofSeconds(45);

    @Test
    void aStreamCutByARestartEndsClearlyAndTheSessionSurvives() throws Exception {
        Path data = Files.createTempDirectory("restart-");
        try (OpenAiStub stub = OpenAiStub.start();
                HttpClient client = HttpClient.newHttpClient()) {
            // interpretations take two minutes (a token a second), code comes at once
            String slowText = "The visits add up to 8. ".repeat(30).strip();
            stub.respond(r -> r.streaming()
                    ? StubResponse.content(slowText).tokenDelay(Duration.ofSeconds(1))
                    : StubResponse.code("result = int(df['visits'].sum())"));
            Map<String, String> env = Map.of(
                    "DATA_DIR",
                    data.toString(),
                    "OPENAI_BASE_URL",
                    stub.baseUrl(),
                    "OPENAI_API_KEY",
                    "sk-restart",
                    "ANALYSIS_DRAIN_TIMEOUT",
                    "5s");
            String session;
            List<String> lines = new CopyOnWriteArrayList<>();
            long stopAsked;
            CompletableFuture<String> ended = new CompletableFuture<>();
            try (PackagedService first = PackagedService.start(env, Duration.ofMinutes(3))) {
                session = upload(client, first);
                HttpRequest analyze = HttpRequest.newBuilder(first.uri("/api/session/" + session + "/analyze"))
                        .header("Content-Type", "application/json")
                        .header("Accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"How many visits in total?\"}"))
                        .build();
                HttpResponse<java.io.InputStream> response =
                        client.send(analyze, HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, response.statusCode());
                CompletableFuture<Void> interpreting = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            lines.add(line);
                            if (line.startsWith("event: interpretation") || line.startsWith("event:interpretation")) {
                                interpreting.complete(null);
                            }
                        }
                        ended.complete("closed");
                    } catch (IOException e) {
                        ended.complete("connection lost: " + e.getMessage());
                    }
                });
                interpreting.get(90, TimeUnit.SECONDS);
                stopAsked = System.nanoTime();
                first.stop();
                String how = ended.get(STREAM_END_LIMIT.toSeconds(), TimeUnit.SECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - stopAsked);
                SseEvents events = SseEvents.parse(String.join("\n", lines));
                assertFalse(events.names().contains("done"), "the two-minute answer cannot have finished");
                if (events.names().contains("error")) {
                    JsonNode error = events.last().data();
                    assertEquals("error", events.last().name(), events.names().toString());
                    assertTrue(error.path("type").asText().endsWith("shutting-down"), error.toString());
                    assertEquals(503, error.path("status").asInt());
                } else {
                    assertTrue(how.equals("closed") || how.startsWith("connection lost"), how);
                }
                assertTrue(took.compareTo(STREAM_END_LIMIT) < 0, "the stream ended " + took + " after SIGTERM");
                System.out.printf(
                        "stream ended %.1f s after SIGTERM (%s), last event %s%n",
                        took.toMillis() / 1000.0,
                        how,
                        events.events().isEmpty() ? "none" : events.last().name());
            }
            stub.respond(r -> r.streaming()
                    ? StubResponse.content("There were 8 visits.")
                    : StubResponse.code("result = int(df['visits'].sum())"));
            try (PackagedService second = PackagedService.start(env, Duration.ofMinutes(3))) {
                HttpResponse<String> got = client.send(
                        HttpRequest.newBuilder(second.uri("/api/session/" + session))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, got.statusCode(), got.body());
                JsonNode stored = JSON.readTree(got.body());
                assertEquals(2, stored.path("data_info").path("rows").asInt());
                for (JsonNode entry : stored.path("history")) {
                    assertTrue(
                            entry.path("interpretation").isNull()
                                    || entry.path("interpretation").isMissingNode(),
                            "no answer stored for the interrupted run: " + entry);
                }
                HttpResponse<String> answer = client.send(
                        HttpRequest.newBuilder(second.uri("/api/session/" + session + "/analyze"))
                                .header("Content-Type", "application/json")
                                .header("Accept", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"question\": \"How many visits in total?\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals(8, JSON.readTree(answer.body()).path("raw_result").asInt());
                HttpResponse<String> after = client.send(
                        HttpRequest.newBuilder(second.uri("/api/session/" + session))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode history = JSON.readTree(after.body()).path("history");
                assertEquals(
                        "There were 8 visits.",
                        history.get(history.size() - 1).path("interpretation").asText());
            }
        }
    }

    private static String upload(HttpClient client, PackagedService service) throws Exception {
        String boundary = "----restart";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"visits.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\ncity,visits\nOslo,3\nLima,5\n\r\n--" + boundary + "--\r\n";
        HttpResponse<String> created = client.send(
                HttpRequest.newBuilder(service.uri("/api/session/create"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).get("session_id").asText();
    }
}
