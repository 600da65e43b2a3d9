package io.llmanalytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool's failure paths, with a policy that misbehaves on purpose: a check that spins is interrupted at the time
 * limit, a policy that raises refuses the code (fail closed), and the context keeps serving afterwards.
 */
class PoolBehaviourTest {

    private static final String FAULTY = """

            _original_run = Checker.run


            def _faulty_run(self):
                if "# spin" in self.code:
                    while True:
                        pass
                if "# boom" in self.code:
                    raise ValueError("boom")
                return _original_run(self)


            Checker.run = _faulty_run
            """;

    private static ValidatorPool faulty;

    @BeforeAll
    static void start() {
        PolicySources real = PolicySources.load();
        PolicySources sources = new PolicySources(
                real.policyPy() + FAULTY,
                real.modules(),
                real.rulesJson(),
                real.allowedModules(),
                real.moduleAttributes());
        faulty = new ValidatorPool(
                sources, ValidatorPool.Settings.of(1, 16, Duration.ofSeconds(120), Duration.ofMillis(1500)));
        faulty.start();
    }

    @AfterAll
    static void stop() {
        faulty.close();
    }

    private static List<Violation> check(ValidatorPool pool, String code) throws Exception {
        return pool.submit(code).get(120, TimeUnit.SECONDS);
    }

    @Test
    void aCheckThatRunsTooLongIsInterruptedAndTheContextServesOn() throws Exception {
        long start = System.nanoTime();
        List<Violation> violations = check(faulty, "result = 1  # spin");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("code-too-complex", violations.get(0).rule());
        assertTrue(millis < 20_000, "interrupted after " + millis + " ms");
        assertEquals(List.of(), check(faulty, "result = 1"));
    }

    @Test
    void aFailingPolicyRefusesTheCode() throws Exception {
        List<Violation> violations = check(faulty, "result = 1  # boom");
        assertEquals(1, violations.size());
        assertEquals("validator-error", violations.get(0).rule());
        assertEquals(List.of(), check(faulty, "result = 2"));
        assertTrue(faulty.status().checks() >= 2);
    }

    @Test
    void aFullQueueIsRefusedAtOnce() throws Exception {
        try (ValidatorPool pool = new ValidatorPool(
                PolicySources.load(),
                ValidatorPool.Settings.of(1, 1, Duration.ofSeconds(120), Duration.ofSeconds(5)))) {
            CompletableFuture<List<Violation>> first = pool.submit("result = 1");
            CompletableFuture<List<Violation>> second = pool.submit("result = 2");
            // the only thread is still creating its context: the second job finds the queue full
            ExecutionException error = assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
            assertInstanceOf(RejectedExecutionException.class, error.getCause());
            assertEquals(List.of(), first.get(120, TimeUnit.SECONDS));
            assertTrue(pool.status().ready() == 1);
        }
    }

    @Test
    void aJobThatWaitedTooLongTimesOut() throws Exception {
        try (ValidatorPool pool = new ValidatorPool(
                PolicySources.load(), ValidatorPool.Settings.of(1, 4, Duration.ofMillis(1), Duration.ofSeconds(5)))) {
            CompletableFuture<List<Violation>> job = pool.submit("result = 1");
            ExecutionException error = assertThrows(ExecutionException.class, () -> job.get(120, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, error.getCause());
        }
    }

    @Test
    void aJobQueuedDuringTheWarmUpWaitsForTheFirstContextBeyondTheAcquireTimeout() throws Exception {
        // no context for 5 s, then the engine and a context: far longer than the 2.5 s acquire timeout
        try (ValidatorPool pool = new ValidatorPool(
                PolicySources.load(),
                ValidatorPool.Settings.of(1, 4, Duration.ofMillis(2500), Duration.ofSeconds(5))
                        .withWarmUp(Duration.ofSeconds(180), Duration.ofSeconds(5)))) {
            pool.start();
            // one job (a second one would wait for the first's check, which a busy machine can make last seconds)
            CompletableFuture<List<Violation>> refused = pool.submit("import os\nresult = os.listdir('/')");
            assertTrue(pool.status().warming());
            assertFalse(pool.warm());
            assertEquals(
                    "import-not-allowed",
                    refused.get(180, TimeUnit.SECONDS).get(0).rule());
            assertTrue(pool.warm());
            assertFalse(pool.status().warming());
            assertTrue(pool.status().firstWarmMillis() >= 5000);
        }
    }

    @Test
    void aJobQueuedDuringTheWarmUpTimesOutAfterTheWarmUpTimeout() throws Exception {
        try (ValidatorPool pool = new ValidatorPool(
                PolicySources.load(),
                ValidatorPool.Settings.of(1, 4, Duration.ofSeconds(120), Duration.ofSeconds(5))
                        .withWarmUp(Duration.ofMillis(500), Duration.ofSeconds(2)))) {
            CompletableFuture<List<Violation>> job = pool.submit("result = 1");
            ExecutionException error = assertThrows(ExecutionException.class, () -> job.get(180, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, error.getCause());
            assertTrue(
                    error.getCause().getMessage().contains("warm within 500 ms"),
                    error.getCause().getMessage());
        }
    }

    @Test
    void aClosedPoolRefuses() {
        ValidatorPool pool = new ValidatorPool(
                PolicySources.load(), ValidatorPool.Settings.of(1, 4, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        pool.close();
        assertEquals(ValidatorPool.State.CLOSED, pool.status().state());
        ExecutionException error = assertThrows(
                ExecutionException.class, () -> pool.submit("result = 1").get(5, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, error.getCause());
    }

    @Test
    void anEngineThatDoesNotCloseIsLeftBehindInsteadOfHoldingTheShutdown() {
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();
        boolean closed = ValidatorPool.closeWithin(
                () -> {
                    try {
                        never.await(); // as GraalPy's close waiting on a context lock nobody releases
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                Duration.ofMillis(200));
        assertFalse(closed);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
        never.countDown();
        assertTrue(ValidatorPool.closeWithin(() -> {}, Duration.ofSeconds(30)));
    }

    @Test
    void aPoolNeedsAContext() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ValidatorPool.Settings.of(0, 4, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }
}
