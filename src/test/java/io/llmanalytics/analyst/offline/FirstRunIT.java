package io.llmanalytics.analyst.offline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;

/**
 * The first experience of someone who follows the README on a fresh machine: {@code bin/start} (which builds, then
 * starts the packaged service) with a free {@code PORT} and an empty {@code DATA_DIR}, no language model configured;
 * then the two {@code curl} commands {@code bin/start} prints: upload the sample CSV, ask "What is the total revenue
 * by category?". The offline analyst answers, with the right numbers.
 *
 * <p>Runs in the integration-test phase of {@code ./mvnw verify} (failsafe execution {@code first-run} in pom.xml,
 * after the jar is packaged); {@code bin/start}'s own build then finds everything up to date. Its output goes to
 * {@code target/first-run.log}. Run it alone with {@code ./mvnw verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=FirstRunIT}.
 */
class FirstRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofMinutes(6);
    /** The sample of bin/start's "Try it" message, byte for byte. */
    private static final String SAMPLE =
            "date,category,revenue\n2024-01-05,Books,12.5\n2024-01-06,Games,40\n" + "2024-02-01,Books,7.5\n";

    @Test
    void theReadmeRunCommandAnswersAQuestionAskedWithCurl() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path log = root.resolve("target/first-run.log");
        Path dataDir = Files.createTempDirectory("first-run-data");
        Path csv = Files.createTempFile("sales", ".csv");
        Files.writeString(csv, SAMPLE, StandardCharsets.UTF_8);
        int port = freePort();

        ProcessBuilder start = new ProcessBuilder(root.resolve("bin/start").toString())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = start.environment();
        for (String key : List.of("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANALYST", "QUARKUS_HTTP_PORT", "MONGODB_URL")) {
            env.remove(key); // a newcomer's machine: no language model, no MongoDB
        }
        env.put("PORT", String.valueOf(port));
        env.put("DATA_DIR", dataDir.toString());
        Process service = start.start();
        try {
            String base = "http://localhost:" + port;
            awaitHealthy(service, base + "/api/health", log);

            JsonNode created = JSON.readTree(curl("-s", "-F", "file=@" + csv, base + "/api/session/create"));
            String session = created.path("session_id").asText();
            assertTrue(!session.isEmpty(), "upload answered with a session: " + created);

            JsonNode done = JSON.readTree(curl(
                    "-s",
                    "-H",
                    "Content-Type: application/json",
                    "-H",
                    "Accept: application/json",
                    "-d",
                    "{\"question\":\"What is the total revenue by category?\"}",
                    base + "/api/session/" + session + "/analyze"));
            assertEquals("offline", done.path("usage").path("analyst").asText(), done.toString());
            assertEquals(
                    40.0, done.path("raw_result").path("data").path("Games").asDouble(), 1e-9, done.toString());
            assertEquals(
                    20.0, done.path("raw_result").path("data").path("Books").asDouble(), 1e-9, done.toString());
            String interpretation = done.path("interpretation").asText();
            assertTrue(interpretation.contains("Games") && interpretation.contains("40"), interpretation);
            assertTrue(done.path("grounding").path("ok").asBoolean(), done.toString());
        } finally {
            stop(service);
            deleteTree(dataDir);
            Files.deleteIfExists(csv);
        }
    }

    private static void awaitHealthy(Process service, String url, Path log) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await("the service answers " + url)
                    .atMost(START)
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("bin/start exited", () -> !service.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class) // still building or starting
                    .until(() -> http.send(
                                            HttpRequest.newBuilder(URI.create(url))
                                                    .timeout(Duration.ofSeconds(5))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
        } catch (TerminalFailureException exited) {
            fail("bin/start exited with " + service.exitValue() + ":\n" + tail(log));
        } catch (ConditionTimeoutException late) {
            fail("the service was not healthy within " + START.toMinutes() + " minutes:\n" + tail(log));
        }
    }

    /** Runs curl as a person would and returns what it printed. */
    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--max-time", "120"));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(150, TimeUnit.SECONDS), "curl finished");
        assertEquals(0, curl.exitValue(), () -> "curl " + String.join(" ", args) + " failed: " + out);
        return out;
    }

    private static void stop(Process service) throws InterruptedException {
        List<ProcessHandle> children = service.descendants().toList();
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroy);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
