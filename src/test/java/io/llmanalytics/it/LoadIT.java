package io.llmanalytics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.load.LoadDriver;
import io.llmanalytics.load.LoadFigures;
import io.llmanalytics.testing.PackagedService;
import io.llmanalytics.testing.llm.OpenAiStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The shortened form of bench/load.sh, with the same client (LoadDriver): 10 users uploading small CSVs and asking
 * questions over SSE for 15 s against the packaged service and the OpenAI stub (200 ms per call, distinct code per
 * request). No 5xx other than deliberate 503s, and every answer a user received is in its session's history.
 */
class LoadIT {

    @Test
    void tenUsersForFifteenSecondsLoseNothingAndGetNoUnexpected5xx() throws Exception {
        Path data = Files.createTempDirectory("load-");
        try (OpenAiStub stub = OpenAiStub.start()) {
            stub.respond(OpenAiStub.benchmarkResponder(
                    Duration.ofMillis(200), Duration.ZERO, true, "unused", "The answer is in the table above."));
            // the ten users share one address: the per-caller limits (meant for people) are off for this test
            Map<String, String> env = Map.of(
                    "DATA_DIR",
                    data.toString(),
                    "OPENAI_BASE_URL",
                    stub.baseUrl(),
                    "OPENAI_API_KEY",
                    "sk-load",
                    "RATE_LIMIT_UPLOADS_PER_MINUTE",
                    "0",
                    "RATE_LIMIT_ANALYSES_PER_MINUTE",
                    "0",
                    "RATE_LIMIT_CONCURRENT_STREAMS",
                    "0");
            try (PackagedService service = PackagedService.start(env, Duration.ofMinutes(3))) {
                LoadDriver.Options options = new LoadDriver.Options(
                        service.uri("/"),
                        10,
                        Duration.ofSeconds(15),
                        Duration.ZERO,
                        OptionalLong.of(service.pid()),
                        0.2,
                        10);
                LoadFigures figures = new LoadDriver(options).run();
                System.out.println(figures.text());
                assertEquals(0, figures.unexpected(), figures.text());
                assertEquals(0, figures.lost(), figures.text());
                assertTrue(figures.answers() >= 10, "the load ran: " + figures.text());
                assertTrue(figures.completed("upload") >= 10, figures.text());
            }
        }
    }
}
