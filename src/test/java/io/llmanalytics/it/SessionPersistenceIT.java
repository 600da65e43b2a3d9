package io.llmanalytics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.PackagedService;
import io.llmanalytics.testing.RunCommand;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sessions survive a restart of the service against the same data directory (the embedded H2-backed store). */
class SessionPersistenceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSessionIsStillThereAfterARestart() throws Exception {
        Path data = Files.createTempDirectory("persist-");
        Map<String, String> env = Map.of("DATA_DIR", data.toString(), "OPENAI_API_KEY", "", "OPENAI_BASE_URL", "");
        String id;
        try (PackagedService first = PackagedService.start(env, Duration.ofMinutes(3));
                HttpClient client = HttpClient.newHttpClient()) {
            // the service runs as bin/start runs it: its JVM options (heap, collector, compiler directives)
            List<String> arguments = ProcessHandle.of(first.pid())
                    .orElseThrow()
                    .info()
                    .arguments()
                    .map(List::of)
                    .orElseThrow();
            assertTrue(arguments.containsAll(RunCommand.jvmOptions(Path.of(""))), "the JVM's arguments: " + arguments);
            String boundary = "----persist";
            String body =
                    "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"kept.csv\"\r\n"
                            + "Content-Type: text/csv\r\n\r\ncity,visits\nOslo,3\nLima,5\n\r\n--" + boundary + "--\r\n";
            HttpResponse<String> created = client.send(
                    HttpRequest.newBuilder(first.uri("/api/session/create"))
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            id = JSON.readTree(created.body()).get("session_id").asText();
        }
        try (PackagedService second = PackagedService.start(env, Duration.ofMinutes(3));
                HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> got = client.send(
                    HttpRequest.newBuilder(second.uri("/api/session/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, got.statusCode(), got.body());
            JsonNode session = JSON.readTree(got.body());
            assertEquals(2, session.get("data_info").get("rows").asInt());
            assertEquals("kept.csv", session.get("file_name").asText());
            HttpResponse<String> list = client.send(
                    HttpRequest.newBuilder(second.uri("/api/sessions")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(list.body().contains(id));
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(second.uri("/api/session/" + id + "/analyze"))
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"How many rows are there?\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // no key: the offline analyst answers, on the dataset the worker loads from the store after the restart
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(2, JSON.readTree(answer.body()).get("raw_result").asInt(), answer.body());
            HttpResponse<String> after = client.send(
                    HttpRequest.newBuilder(second.uri("/api/session/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode history = JSON.readTree(after.body()).get("history");
            assertEquals(1, history.size(), after.body());
            assertEquals(
                    "How many rows are there?", history.get(0).get("question").asText());
        }
    }
}
