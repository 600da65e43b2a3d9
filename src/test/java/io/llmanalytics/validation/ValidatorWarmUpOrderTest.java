package io.llmanalytics.validation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up waits for the analysis worker (so that the two do not fight for the cores), but never longer
 * than its bound, and a check that arrives first starts it at once. The pools here hold their context back (start
 * delay) so that no GraalPy context is created: what is observed is whether the warm-up began.
 */
class ValidatorWarmUpOrderTest {

    private final CodeValidator validator = new CodeValidator(
            CodeValidatorTest.config(Duration.ofMinutes(5), Duration.ofHours(1)), new SimpleMeterRegistry());

    @AfterEach
    void close() {
        validator.close();
    }

    @Test
    void theWarmUpBeginsOnceTheWorkerIsReady() throws Exception {
        CompletableFuture<Void> workerReady = new CompletableFuture<>();
        CompletionStage<Boolean> started = ValidatorWarmUp.schedule(validator, workerReady, Duration.ofHours(1));
        await("the warm-up waits for the worker")
                .during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(30))
                .until(() -> !validator.warmUpStarted());
        workerReady.complete(null);
        assertEquals(true, started.toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(validator.warmUpStarted());
    }

    @Test
    void theWarmUpBeginsWhenTheWorkerFailsOrIsNotUsed() throws Exception {
        CompletionStage<Boolean> started = ValidatorWarmUp.schedule(
                validator, CompletableFuture.failedFuture(new IllegalStateException("disabled")), Duration.ofHours(1));
        assertEquals(true, started.toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(validator.warmUpStarted());
    }

    @Test
    void theWarmUpBeginsAfterItsBoundWhenTheWorkerIsNeverReady() throws Exception {
        CompletionStage<Boolean> started =
                ValidatorWarmUp.schedule(validator, new CompletableFuture<>(), Duration.ofMillis(200));
        assertEquals(false, started.toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(validator.warmUpStarted());
    }

    @Test
    void aZeroBoundWarmsAtOnce() {
        ValidatorWarmUp.schedule(validator, new CompletableFuture<>(), Duration.ZERO);
        assertTrue(validator.warmUpStarted());
    }

    @Test
    void aCheckBeforeTheWorkerIsReadyStartsTheWarmUpItself() {
        ValidatorWarmUp.schedule(validator, new CompletableFuture<>(), Duration.ofHours(1));
        validator.validate("result = 1").subscribe().with(verdict -> {}, failure -> {});
        await("the warm-up begins").atMost(Duration.ofSeconds(30)).until(validator::warmUpStarted);
    }
}
