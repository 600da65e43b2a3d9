package io.llmanalytics.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.health.ComponentHealth;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's start-up self-test reaches the JVM, and without proved confinement (a kernel without Landlock,
 * simulated by the JVM-only test switch) analyses are refused with a 503 saying why, unless the unsafe development
 * setting is on.
 */
class SandboxConfinementTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final LocalDatasetFiles files = new LocalDatasetFiles();
    private Sandbox sandbox;
    private List<DatasetSource> sales;

    @BeforeEach
    void dataset() throws IOException {
        Path csv = dir.resolve("sales.csv");
        Files.writeString(csv, "city,amount\nParis,10.5\nLyon,3\n");
        files.put("f-sales", csv);
        sales = List.of(new DatasetSource(
                "sales",
                true,
                "f-sales",
                "h-sales",
                List.of("city", "amount"),
                Map.of("city", "object", "amount", "float64"),
                List.of(),
                2,
                List.of("")));
    }

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.stop();
        }
    }

    private void start(TestSettings settings) {
        sandbox = new Sandbox(settings.build(), files, new SimpleMeterRegistry());
        sandbox.start();
        sandbox.awaitReady().await().atMost(WAIT);
    }

    private ComponentHealth health() {
        return new WorkerHealth(sandbox).check().await().atMost(WAIT);
    }

    @Test
    void onThisKernelAnalysisCodeIsConfinedAndRuns() {
        start(new TestSettings());
        Confinement confinement = sandbox.status().confinement();
        assertNotNull(confinement);
        assertTrue(confinement.confined(), confinement::toString);
        assertTrue(confinement.landlockAbi() >= 1);
        assertTrue(confinement.filesystem());
        assertEquals(
                Outcome.SUCCESS,
                sandbox.execute("s1", sales, "result = float(df['amount'].sum())")
                        .await()
                        .atMost(WAIT)
                        .outcome());
        ComponentHealth health = health();
        assertTrue(health.isUp());
        assertEquals(false, health.details().get("allow_unconfined"));
        assertEquals(true, ((Map<?, ?>) health.details().get("confinement")).get("confined"));
    }

    @Test
    void withoutLandlockAnalysesAreRefusedWithA503SayingWhy() {
        TestSettings settings = new TestSettings();
        settings.landlockOff = true;
        start(settings);
        assertFalse(sandbox.status().confinement().confined());
        for (Runnable call : List.<Runnable>of(
                () -> sandbox.execute("s1", sales, "result = 1").await().atMost(WAIT),
                () -> sandbox.prefetch("s1", sales).await().atMost(WAIT),
                () -> sandbox.insights("s1", sales, Map.of()).await().atMost(WAIT))) {
            ProblemException problem =
                    assertInstanceOf(ProblemException.class, assertThrows(RuntimeException.class, call::run));
            assertEquals(ProblemType.WORKER_UNAVAILABLE, problem.type());
            assertEquals(503, problem.problem().status());
            assertTrue(problem.getMessage().contains("cannot be confined on this host"), problem.getMessage());
            assertTrue(problem.getMessage().contains("Landlock"), problem.getMessage());
        }
        assertEquals(0, files.materialised.get(), "nothing was loaded for an unconfined worker");
        ComponentHealth health = health();
        assertFalse(health.isUp());
        assertTrue(String.valueOf(health.details().get("refusing")).contains("cannot be confined"));
        assertEquals(false, ((Map<?, ?>) health.details().get("confinement")).get("confined"));
    }

    @Test
    void theUnsafeDevelopmentSettingRunsUnconfinedAndSaysSo() {
        TestSettings settings = new TestSettings();
        settings.landlockOff = true;
        settings.allowUnconfined = true;
        start(settings);
        assertFalse(sandbox.status().confinement().confined());
        assertTrue(sandbox.status().allowUnconfined());
        ExecutionResult result = sandbox.execute("s1", sales, "result = float(df['amount'].sum())")
                .await()
                .atMost(WAIT);
        assertEquals(Outcome.SUCCESS, result.outcome());
        assertEquals(13.5, result.result().asDouble());
        ComponentHealth health = health();
        assertTrue(health.isUp());
        assertEquals(true, health.details().get("allow_unconfined"));
        assertEquals(false, ((Map<?, ?>) health.details().get("confinement")).get("confined"));
    }
}
