package io.llmanalytics.deploy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.observability.RequestIds;
import io.llmanalytics.testing.OwnJvm;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.Test;

/**
 * The service as it runs in production (the {@code prod} configuration profile): JSON logs carrying the request id
 * and the service name, the health endpoints the Kubernetes probes call answer UP, and shutdown is graceful with the
 * timings the manifests assume.
 */
@QuarkusTest
@OwnJvm
@TestProfile(ProductionProfileTest.Production.class)
class ProductionProfileTest {

    /** The prod profile, with the embedded store in memory instead of files under ./data. */
    public static class Production implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        /**
         * The test profile's coverage settings too: without them, quarkus-jacoco deletes the coverage data file as it
         * builds this application, and the data the test JVMs before this one wrote to it is lost.
         */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "store.embedded.backend", "memory",
                    "store.data-dir", "target/prod-profile-data",
                    "quarkus.jacoco.reuse-data-file", "true",
                    "quarkus.jacoco.report", "false");
        }
    }

    @Test
    void logsAreJsonWithTheRequestIdAndTheServiceName() throws Exception {
        List<Formatter> formatters = new ArrayList<>();
        for (Handler h : LogContext.getLogContext().getLogger("").getHandlers()) {
            collect(h, formatters);
        }
        Formatter json = formatters.stream()
                .filter(f -> f.getClass().getName().toLowerCase().contains("json"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JSON formatter on the console: " + formatters));
        ExtLogRecord record = new ExtLogRecord(
                Level.INFO,
                "Session %s created",
                ExtLogRecord.FormatStyle.PRINTF,
                ProductionProfileTest.class.getName());
        record.setParameters(new Object[] {"s-1"});
        record.setLoggerName("io.llmanalytics.session.SessionService");
        MDC.put(RequestIds.KEY, "req-7");
        try {
            record.copyMdc();
        } finally {
            MDC.remove(RequestIds.KEY);
        }
        JsonNode line = new ObjectMapper().readTree(json.format(record));
        assertEquals("INFO", line.path("level").asText());
        assertEquals("Session s-1 created", line.path("message").asText());
        assertEquals("req-7", line.path("mdc").path(RequestIds.KEY).asText(), line.toString());
        assertEquals("llm-analytics", line.path("service").asText(), line.toString());
        assertEquals(
                "io.llmanalytics.session.SessionService",
                line.path("loggerName").asText());
    }

    private static void collect(Handler handler, List<Formatter> formatters) {
        if (handler.getFormatter() != null) {
            formatters.add(handler.getFormatter());
        }
        if (handler instanceof ExtHandler ext) {
            for (Handler child : ext.getHandlers()) {
                collect(child, formatters);
            }
        }
    }

    @Test
    void theProbesOfTheManifestsAnswerUp() throws Exception {
        Set<String> paths = new LinkedHashSet<>();
        for (String overlay : List.of("dev", "prod")) {
            JsonNode container =
                    KustomizeTest.container(Kustomize.render(Repository.path("deploy/overlays/" + overlay)));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                paths.add(container.path(probe).path("httpGet").path("path").asText());
            }
        }
        assertEquals(Set.of("/q/health/live", "/q/health/ready"), paths);
        for (String path : paths) {
            // readiness waits for the GraalPy contexts and the worker
            await(path + " answers 200")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> given().get(path).statusCode() == 200);
            var response = given().get(path);
            assertEquals(200, response.statusCode(), path + ": " + response.asString());
            assertEquals(
                    "UP",
                    new ObjectMapper()
                            .readTree(response.asString())
                            .path("status")
                            .asText(),
                    path);
        }
        assertTrue(given().get("/q/health/ready").asString().contains("\"checks\""));
    }

    @Test
    void shutdownIsGracefulWithTheTimingsTheManifestsAssume() {
        var config = ConfigProvider.getConfig();
        Duration delay = config.getValue("quarkus.shutdown.delay", Duration.class);
        Duration timeout = config.getValue("quarkus.shutdown.timeout", Duration.class);
        Duration drain = config.getValue("analysis.drain-timeout", Duration.class);
        assertEquals(Duration.ofSeconds(5), delay);
        assertEquals(Duration.ofSeconds(30), timeout);
        assertTrue(drain.compareTo(timeout) < 0, "streams end before the HTTP server stops waiting for them");
        assertNotNull(given().get("/q/metrics").then().statusCode(200).extract().header(RequestIds.HEADER));
    }
}
