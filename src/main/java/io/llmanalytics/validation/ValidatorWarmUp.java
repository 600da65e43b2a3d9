package io.llmanalytics.validation;

import io.llmanalytics.sandbox.Sandbox;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Starts the validator's warm-up at start-up once the analysis worker is ready (or has failed, or is not used), or
 * after {@code validation.warm-up-after-worker} at the latest, so that GraalPy's warm-up and the worker's imports do
 * not fight for the cores and the service is ready sooner. It reacts to the worker's readiness ({@link
 * Sandbox#awaitReady()}), it does not poll. A check that arrives first starts the warm-up itself ({@link
 * ValidatorPool}).
 */
@ApplicationScoped
public class ValidatorWarmUp {

    private final CodeValidator validator;
    private final ValidationConfig config;
    private final Sandbox sandbox;

    public ValidatorWarmUp(CodeValidator validator, ValidationConfig config, Sandbox sandbox) {
        this.validator = validator;
        this.config = config;
        this.sandbox = sandbox;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.warmAtStartup()) {
            // fails at once when the worker is disabled: nothing to wait for
            schedule(validator, sandbox.awaitReady().subscribeAsCompletionStage(), config.warmUpAfterWorker());
        }
    }

    /**
     * Starts {@code validator}'s warm-up when {@code workerSettled} completes (normally or not) or {@code atMost} has
     * passed, whichever comes first; at once when {@code atMost} is zero. Returns the stage that completes with
     * whether the worker settled in time, once the warm-up has been started.
     */
    static CompletionStage<Boolean> schedule(
            CodeValidator validator, CompletionStage<?> workerSettled, Duration atMost) {
        if (!atMost.isPositive()) {
            validator.warmUp();
            return CompletableFuture.completedFuture(true);
        }
        return workerSettled
                .handle((ignored, failure) -> true)
                .toCompletableFuture()
                .completeOnTimeout(false, atMost.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(settled -> {
                    if (!settled && !validator.warmUpStarted()) {
                        Log.infof(
                                "The analysis worker is not ready after %d s: warming the validator anyway",
                                atMost.toSeconds());
                    }
                    validator.warmUp();
                    return settled;
                });
    }
}
