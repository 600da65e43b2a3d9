package io.llmanalytics.validation;

import io.llmanalytics.sandbox.Sandbox;
import io.llmanalytics.sandbox.SandboxStatus;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Starts the validator's warm-up at start-up once the analysis worker is ready (or after
 * {@code validation.warm-up-after-worker}), so that GraalPy's warm-up and the worker's imports do not fight for the
 * cores and the service is ready sooner. A check that arrives first starts the warm-up itself ({@link ValidatorPool}).
 */
@ApplicationScoped
public class ValidatorWarmUp {

    private static final long POLL_MILLIS = 50;

    private final CodeValidator validator;
    private final ValidationConfig config;
    private final Sandbox sandbox;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "validator-warm-up");
        thread.setDaemon(true);
        return thread;
    });

    public ValidatorWarmUp(CodeValidator validator, ValidationConfig config, Sandbox sandbox) {
        this.validator = validator;
        this.config = config;
        this.sandbox = sandbox;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.warmAtStartup()) {
            schedule(validator, () -> workerSettled(sandbox.status()), config.warmUpAfterWorker(), timer);
        }
    }

    /** Whether the worker no longer competes for the cores at start-up: ready, or not used at all. */
    static boolean workerSettled(SandboxStatus status) {
        return status.ready() || !status.enabled();
    }

    /**
     * Starts {@code validator}'s warm-up as soon as {@code settled} holds or {@code atMost} has passed, polling on
     * {@code timer}; at once when {@code atMost} is zero.
     */
    static void schedule(
            CodeValidator validator, BooleanSupplier settled, Duration atMost, ScheduledExecutorService timer) {
        long deadline = System.nanoTime() + atMost.toNanos();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<ScheduledFuture<?>> poll = new AtomicReference<>();
        Runnable check = () -> {
            if (done.get()) {
                return;
            }
            boolean due = System.nanoTime() - deadline >= 0;
            if (validator.warmUpStarted() || due || settled.getAsBoolean()) {
                if (due && !validator.warmUpStarted() && atMost.isPositive()) {
                    Log.infof(
                            "The analysis worker is not ready after %d s: warming the validator anyway",
                            atMost.toSeconds());
                }
                validator.warmUp();
                done.set(true);
                ScheduledFuture<?> self = poll.get();
                if (self != null) {
                    self.cancel(false);
                }
            }
        };
        poll.set(timer.scheduleWithFixedDelay(check, 0, POLL_MILLIS, TimeUnit.MILLISECONDS));
        if (done.get()) {
            poll.get().cancel(false);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
