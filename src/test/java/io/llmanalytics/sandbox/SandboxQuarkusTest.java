package io.llmanalytics.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker inside the application: configuration, start-up, health, readiness and metrics. */
@QuarkusTest
class SandboxQuarkusTest {

    @Inject
    Sandbox sandbox;

    @Inject
    SandboxConfig config;

    @Test
    void theWorkerStartsWithTheServiceAndAnswers() {
        sandbox.awaitReady().await().atMost(Duration.ofSeconds(60));
        ExecutionResult result = sandbox.execute("quarkus", List.of(), "result = sum(range(10))")
                .await()
                .atMost(Duration.ofSeconds(60));
        assertEquals(45, result.result().asInt());
    }

    @Test
    void settingsComeFromTheEnvironmentNames() {
        assertEquals(Duration.ofSeconds(5), config.timeout());
        assertEquals(10000, config.maxOutput());
        assertEquals(10, config.maxSampleRows());
        assertEquals(2L << 30, config.memoryBudget().asLongValue());
    }

    @Test
    void healthReadinessAndMetricsShowTheWorker() {
        sandbox.awaitReady().await().atMost(Duration.ofSeconds(60));
        sandbox.execute("quarkus", List.of(), "result = 1").await().atMost(Duration.ofSeconds(60));
        // the worker's part of the health (the whole is 503 while the validator still warms up on a loaded machine)
        given().get("/api/health")
                .then()
                .body("components.worker.status", equalTo("up"))
                .body("components.worker.details.pandas", equalTo("1.5.3"))
                .body("components.worker.details.confinement.confined", equalTo(true))
                .body("components.worker.details.allow_unconfined", equalTo(false));
        given().get("/q/health/ready").then().body("checks.find { it.name == 'worker' }.status", equalTo("UP"));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("sandbox_executions_total"))
                .body(containsString("sandbox_queue_length"));
    }
}
