package io.llmanalytics.validation;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Checks generated analysis code before it runs: Python's own parser and the allow-list policy, in-JVM on GraalPy.
 * The first, cheap security layer and the source of precise feedback for the self-heal loop; the worker's sandbox
 * remains the boundary.
 */
@ApplicationScoped
public class CodeValidator {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final ValidationConfig config;
    private final PolicySources sources;
    private final PolicyDescription description;
    private final ValidatorPool pool;
    private final Timer accepted;
    private final Timer refused;

    public CodeValidator(ValidationConfig config, MeterRegistry registry) {
        this.config = config;
        this.sources = PolicySources.load();
        this.description = sources.describe(config.maxCodeLength());
        this.pool = new ValidatorPool(sources, settings(config));
        Gauge.builder("validation.contexts.ready", pool, p -> p.status().ready())
                .description("GraalPy contexts created and warm (the validator checks code once one is)")
                .register(registry);
        Gauge.builder("validation.contexts", pool, p -> p.status().contexts())
                .description("GraalPy contexts the validator has now (warm or being created)")
                .register(registry);
        Gauge.builder("validation.contexts.max", pool, p -> p.status().size())
                .description("Most GraalPy contexts the validator creates under load")
                .register(registry);
        this.accepted = Timer.builder("validation.check")
                .tag("verdict", "ok")
                .description("Time to validate generated code")
                .register(registry);
        this.refused = Timer.builder("validation.check")
                .tag("verdict", "refused")
                .description("Time to validate generated code")
                .register(registry);
    }

    static ValidatorPool.Settings settings(ValidationConfig config) {
        return new ValidatorPool.Settings(
                config.poolSize(),
                config.initialContexts(),
                config.maxCodeLength(),
                config.queueCapacity(),
                config.acquireTimeout(),
                config.checkTimeout(),
                config.warmUpTimeout(),
                config.startDelay(),
                config.idleTimeout());
    }

    /** Starts creating and warming the contexts in the background (idempotent; a check starts it too). */
    void warmUp() {
        pool.start();
    }

    /** Whether the contexts have started warming (or failed, or closed): a check or the start-up warm-up began it. */
    boolean warmUpStarted() {
        return pool.status().state() != ValidatorPool.State.NEW;
    }

    /**
     * Validates code on the validator's own threads (never on the caller's, never on the event loop). Fails with a
     * {@link ProblemException} ({@code validator-unavailable}, 503) when no context is free in time or the validator
     * could not start; bad code is never an error, it is a refused {@link Verdict}. A check asked before any context is
     * warm (start-up) waits for the first one, up to the warm-up timeout more.
     */
    public Uni<Verdict> validate(String code) {
        Verdict early = precheck(code);
        if (early != null) {
            return Uni.createFrom().item(early);
        }
        long start = System.nanoTime();
        return Uni.createFrom()
                .deferred(() -> {
                    CompletableFuture<List<Violation>> check = pool.submit(code);
                    return Uni.createFrom()
                            .completionStage(check)
                            .onCancellation()
                            .invoke(() -> check.cancel(false));
                })
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem()
                .after(bound().plusSeconds(1))
                .failWith(() -> new TimeoutException("validation did not answer in time"))
                .map(violations -> record(Verdict.of(violations), start))
                .onFailure(e -> !(e instanceof ProblemException))
                .transform(CodeValidator::unavailable);
    }

    /** Validates code on the calling thread's behalf, blocking it; for callers already on a worker thread. */
    public Verdict validateBlocking(String code) {
        return validate(code).await().atMost(bound().plusSeconds(2));
    }

    /** How long a check asked now may take: acquire and check, plus the warm-up while no context is warm. */
    private Duration bound() {
        Duration bound = config.acquireTimeout().plus(config.checkTimeout());
        return pool.warm() ? bound : bound.plus(config.warmUpTimeout());
    }

    /** Refusals that need no Python: empty or too long. */
    Verdict precheck(String code) {
        if (code == null || code.isBlank()) {
            return Verdict.refused(new Violation(
                    "code-empty", "The code is empty: write Python code that assigns the answer to `result`.", 1, 1));
        }
        if (code.length() > config.maxCodeLength()) {
            return Verdict.refused(new Violation(
                    "code-too-long",
                    "The code has " + code.length() + " characters, more than the " + config.maxCodeLength()
                            + " allowed: make it shorter.",
                    1,
                    1));
        }
        return null;
    }

    private Verdict record(Verdict verdict, long start) {
        (verdict.ok() ? accepted : refused).record(Duration.ofNanos(System.nanoTime() - start));
        if (!verdict.ok()) {
            Log.debugf("Code refused by the validator: %s", verdict.rules());
        }
        return verdict;
    }

    private static Throwable unavailable(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String detail = cause instanceof TimeoutException || cause instanceof RejectedExecutionException
                ? "The code validator is busy or still starting (" + cause.getMessage() + "); retry shortly."
                : "The code validator failed: " + cause.getClass().getSimpleName();
        return ProblemException.retryLater(ProblemType.VALIDATOR_UNAVAILABLE, detail, RETRY_AFTER);
    }

    /** The policy as data: rules, import allow-list, pre-bound names, length limit. */
    public PolicyDescription policy() {
        return description;
    }

    /** Whether at least one context is warm (checks no longer wait for the start-up). */
    public boolean warm() {
        return pool.warm();
    }

    /** Whether the start-up warm-up is done: the initial contexts are warm (more are created under load). */
    public boolean ready() {
        return pool.ready();
    }

    public ValidatorPool.Status status() {
        return pool.status();
    }

    @PreDestroy
    void close() {
        pool.close();
    }

    /** The files the policy is made of, for tests and tools. */
    PolicySources sources() {
        return sources;
    }

    List<PolicyRule> rules() {
        return description.rules();
    }
}
