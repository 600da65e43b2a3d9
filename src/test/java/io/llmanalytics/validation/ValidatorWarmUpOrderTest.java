package io.llmanalytics.validation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.sandbox.SandboxStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up waits for the analysis worker (so that the two do not fight for the cores), but never longer
 * than its bound, and a check that arrives first starts it at once. The pools here hold their context back (start
 * delay) so that no GraalPy context is created: what is observed is whether the warm-up began.
 */
class ValidatorWarmUpOrderTest {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final CodeValidator validator = new CodeValidator(
            CodeValidatorTest.config(Duration.ofMinutes(5), Duration.ofHours(1)), new SimpleMeterRegistry());

    @AfterEach
    void close() {
        timer.shutdownNow();
        validator.close();
    }

    @Test
    void theWarmUpBeginsOnceTheWorkerIsReady() {
        AtomicBoolean workerReady = new AtomicBoolean();
        ValidatorWarmUp.schedule(validator, workerReady::get, Duration.ofHours(1), timer);
        await("the warm-up waits for the worker")
                .during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(30))
                .until(() -> !validator.warmUpStarted());
        workerReady.set(true);
        await("the warm-up begins").atMost(Duration.ofSeconds(30)).until(validator::warmUpStarted);
    }

    @Test
    void theWarmUpBeginsAfterItsBoundWhenTheWorkerIsNeverReady() {
        ValidatorWarmUp.schedule(validator, () -> false, Duration.ofMillis(200), timer);
        await("the warm-up begins").atMost(Duration.ofSeconds(30)).until(validator::warmUpStarted);
    }

    @Test
    void aCheckBeforeTheWorkerIsReadyStartsTheWarmUpItself() {
        ValidatorWarmUp.schedule(validator, () -> false, Duration.ofHours(1), timer);
        validator.validate("result = 1").subscribe().with(verdict -> {}, failure -> {});
        await("the warm-up begins").atMost(Duration.ofSeconds(30)).until(validator::warmUpStarted);
        // and the poller stops: nothing is left scheduled once the warm-up has begun
        await("the poller stops")
                .atMost(Duration.ofSeconds(30))
                .until(() -> timer.getQueue().isEmpty());
    }

    @Test
    void theWorkerHasSettledWhenReadyOrNotUsed() {
        assertTrue(ValidatorWarmUp.workerSettled(status(true, true)));
        assertTrue(ValidatorWarmUp.workerSettled(status(false, false)));
        assertFalse(ValidatorWarmUp.workerSettled(status(true, false)));
    }

    private static SandboxStatus status(boolean enabled, boolean ready) {
        return new SandboxStatus(enabled, ready, null, null, null, null, false, 0, 0, 0, 0, 1, 1, false, 0, null);
    }
}
