package io.llmanalytics.validation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The validator's pool is elastic: one context at start, one more at a time while checks wait behind busy contexts,
 * never more than the maximum, closed again when idle; every check is answered with the verdict a single context
 * gives, and a check never waits for a context being created while another one is free.
 */
class ElasticPoolTest {

    /** Accepted and refused snippets, each with the rule it must give (empty: accepted). */
    private static final List<String[]> CASES = List.of(
            new String[] {"result = df.groupby('region')['revenue'].sum()", ""},
            new String[] {"import os\nresult = os.listdir('/')", "import-not-allowed"},
            new String[] {"result = df.__class__.__bases__", "dunder"},
            new String[] {"result = open('/etc/passwd').read()", "forbidden-builtin"},
            new String[] {"result = df['revenue'].mean()", ""});

    private final AtomicInteger mostContexts = new AtomicInteger();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void sampleNothingYet() {
        mostContexts.set(0);
    }

    @AfterEach
    void stopSampling() {
        sampler.shutdownNow();
    }

    /** Records the most contexts the pool ever had, every few milliseconds. */
    private void watch(ValidatorPool pool) {
        sampler.scheduleAtFixedRate(
                () -> mostContexts.accumulateAndGet(pool.status().contexts(), Math::max), 0, 2, TimeUnit.MILLISECONDS);
    }

    private static ValidatorPool started(ValidatorPool pool) {
        pool.start();
        await("the first context is warm")
                .atMost(Duration.ofMinutes(3))
                .failFast("the pool failed", () -> pool.status().state() == ValidatorPool.State.FAILED)
                .until(pool::ready);
        return pool;
    }

    /** Submits every case {@code times} times at once and checks every verdict. */
    private static void burst(ValidatorPool pool, int times) throws Exception {
        List<CompletableFuture<List<Violation>>> futures = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            for (String[] c : CASES) {
                futures.add(pool.submit(c[0]));
                expected.add(c[1]);
            }
        }
        for (int i = 0; i < futures.size(); i++) {
            List<Violation> violations = futures.get(i).get(3, TimeUnit.MINUTES);
            String rule = violations.isEmpty() ? "" : violations.get(0).rule();
            assertEquals(expected.get(i), rule, "verdict of check " + i);
        }
    }

    @Test
    void aBurstGrowsThePoolToItsMaximumNeverBeyondAndEveryCheckIsAnswered() throws Exception {
        try (ValidatorPool pool = started(new ValidatorPool(
                PolicySources.load(),
                ValidatorPool.Settings.of(3, 1024, Duration.ofMinutes(3), Duration.ofSeconds(10))))) {
            assertEquals(1, pool.status().contexts(), "one context at start");
            assertEquals(1, pool.status().ready());
            for (String[] c : CASES) { // one check at a time: the one context answers each
                List<Violation> violations = pool.submit(c[0]).get(3, TimeUnit.MINUTES);
                assertEquals(c[1], violations.isEmpty() ? "" : violations.get(0).rule(), c[0]);
            }
            assertEquals(1, pool.status().contexts(), "checks one after the other need no second context");
            watch(pool);
            await("bursts grow the pool to its maximum")
                    .atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        burst(pool, 20);
                        return pool.status().ready() == 3;
                    });
            burst(pool, 20);
            ValidatorPool.Status status = pool.status();
            assertEquals(3, status.contexts());
            assertEquals(3, status.size());
            assertEquals(ValidatorPool.State.READY, status.state());
            assertEquals(3, mostContexts.get(), "never more contexts than the maximum");
        }
    }

    @Test
    void contextsIdleBeyondTheirTimeoutCloseDownToTheInitialOne() throws Exception {
        try (ValidatorPool pool = started(new ValidatorPool(
                PolicySources.load(),
                ValidatorPool.Settings.of(2, 1024, Duration.ofMinutes(3), Duration.ofSeconds(10))
                        .withContexts(1, Duration.ofSeconds(1))))) {
            await("bursts grow the pool")
                    .atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        burst(pool, 20);
                        return pool.status().ready() == 2;
                    });
            await("the idle context closes")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> pool.status().contexts() == 1 && pool.status().ready() == 1);
            await("the initial context stays however idle")
                    .during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> pool.status().contexts() == 1);
            burst(pool, 1);
        }
    }

    /**
     * The policy here takes seconds to load in every new context and spins a second on checks marked {@code # slow}:
     * while the one context is busy a second check grows the pool, and once the first context is free again it answers
     * that check while the new context is still being created.
     */
    @Test
    void aCheckNeverWaitsForAContextBeingCreatedWhileAnotherIsFree() throws Exception {
        PolicySources real = PolicySources.load();
        PolicySources sources = new PolicySources(
                real.policyPy() + """


                        import time as _time

                        _time.sleep(4)
                        _original_check_run = Checker.run


                        def _slow_run(self):
                            if "# slow" in self.code:
                                _begin = _time.monotonic()
                                while _time.monotonic() - _begin < 1.0:
                                    pass
                            return _original_check_run(self)


                        Checker.run = _slow_run
                        """,
                real.modules(),
                real.rulesJson(),
                real.allowedModules(),
                real.moduleAttributes());
        try (ValidatorPool pool = started(new ValidatorPool(
                sources, ValidatorPool.Settings.of(2, 16, Duration.ofMinutes(3), Duration.ofSeconds(10))))) {
            CompletableFuture<List<Violation>> slow = pool.submit("result = 1  # slow");
            CompletableFuture<List<Violation>> next = pool.submit("import os\nresult = os.getcwd()");
            // the pool as it is the moment the second check is answered (on the thread that answers it)
            CompletableFuture<ValidatorPool.Status> whenAnswered = next.handle((violations, failure) -> pool.status());
            assertEquals(List.of(), slow.get(3, TimeUnit.MINUTES));
            assertEquals(
                    "import-not-allowed", next.get(3, TimeUnit.MINUTES).get(0).rule());
            ValidatorPool.Status status = whenAnswered.get(3, TimeUnit.MINUTES);
            assertEquals(2, status.contexts(), "the waiting check made the pool grow: " + status);
            assertEquals(1, status.ready(), "and was answered by the free context before the new one was warm");
            await("the new context becomes warm")
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> pool.status().ready() == 2);
            assertTrue(pool.status().contexts() <= 2);
        }
    }
}
