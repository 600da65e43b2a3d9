package io.llmanalytics.analyst.openai;

import io.llmanalytics.analyst.LlmConfig;
import io.llmanalytics.analyst.LlmMetrics;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Timeouts, retries and the circuit breaker around every call to the endpoint, for single answers ({@link #call}) and
 * streams ({@link #stream}). Failures leave as {@link ProblemException}s ({@code LLM_UNAVAILABLE}, with a
 * {@code Retry-After} when one is known, or {@code TIMEOUT}).
 *
 * <ul>
 * <li>Timeouts: {@code llm.timeout.call} per attempt of a single answer; for streams the first token within
 * {@code llm.timeout.first-token}, then at most {@code llm.timeout.idle} between tokens and
 * {@code llm.timeout.stream} in all. A timeout cancels the attempt (and so resets the HTTP request); it is not
 * retried.</li>
 * <li>Retries: on 429, 5xx/408, an error event in a stream and connection failures, at most
 * {@code llm.retry.max-retries} times. The wait is the endpoint's {@code Retry-After} (or {@code retry-after-ms}) when
 * it sent one, else exponential backoff from {@code llm.retry.base-backoff} (doubling, half of it random, capped at
 * {@code llm.retry.max-backoff}). A {@code Retry-After} longer than {@code llm.retry.max-retry-after} is not waited
 * for: the call fails at once and passes the {@code Retry-After} on. A stream is retried only before its first
 * token.</li>
 * <li>Circuit breaker: every attempt's outcome is recorded; when {@code failure-ratio} of the last
 * {@code request-volume-threshold} attempts failed (5xx, 429, timeouts, unreachable, malformed), calls fail at once
 * with {@code LLM_UNAVAILABLE} and the remaining open time as {@code Retry-After}, until {@code delay} has passed and
 * one trial call succeeds. 4xx answers other than 429 do not count: the endpoint is up, the request was wrong.</li>
 * <li>Cancellation: cancelling the returned {@code Uni}/{@code Multi} cancels the attempt in flight or the wait
 * between attempts.</li>
 * </ul>
 *
 * <p>Why not SmallRye Fault Tolerance: its Mutiny support (6.10, {@code UniSupport.toFuture}) subscribes to the
 * guarded {@code Uni} and drops the subscription, and the {@code Uni} it returns has no cancellation hook; a guarded
 * model call could then not be cancelled when the client goes away (the HTTP request would run to its end), a
 * cancelled half-open trial would keep the breaker half-open, and it has no {@code Multi} support for the
 * first-token/idle timeouts and the retry before the first token. The breaker's clock is injected ({@link LlmClock})
 * so that tests need not wait for it.
 */
@ApplicationScoped
public class LlmGuard {

    private final LlmConfig config;
    private final LlmMetrics metrics;
    private final OpenAiEndpoint endpoint;
    private final CircuitBreaker breaker;

    public LlmGuard(LlmConfig config, LlmMetrics metrics, OpenAiEndpoint endpoint, @LlmClock InstantSource clock) {
        this.config = config;
        this.metrics = metrics;
        this.endpoint = endpoint;
        LlmConfig.CircuitBreaker cb = config.circuitBreaker();
        Duration probeTimeout = max(config.timeout().call(), config.timeout().firstToken());
        this.breaker =
                new CircuitBreaker(cb.requestVolumeThreshold(), cb.failureRatio(), cb.delay(), probeTimeout, clock);
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** A single answer, with per-attempt timeout, retries and the breaker. */
    public <T> Uni<T> call(String operation, Supplier<Uni<T>> attempt) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return attemptCall(operation, attempt, 0)
                    .onItemOrFailure()
                    .invoke((item, failure) -> done(operation, failure == null, start))
                    .onCancellation()
                    .invoke(() -> metrics.call(operation, endpoint.model(), "cancelled", since(start)));
        });
    }

    /** A stream, with first-token, idle and total timeouts, retries before the first item, and the breaker. */
    public <T> Multi<T> stream(String operation, Supplier<Multi<T>> attempt) {
        return Multi.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return attemptStream(operation, attempt, 0).onTermination().invoke((failure, cancelled) -> {
                if (cancelled) {
                    metrics.call(operation, endpoint.model(), "cancelled", since(start));
                } else {
                    done(operation, failure == null, start);
                }
            });
        });
    }

    private <T> Uni<T> attemptCall(String operation, Supplier<Uni<T>> attempt, int retry) {
        return Uni.createFrom().deferred(() -> {
            Duration open = breaker.acquire();
            if (open != null) {
                return Uni.createFrom().failure(circuitOpen(operation, open));
            }
            long epoch = breaker.epoch();
            Duration timeout = config.timeout().call();
            return attempt.get()
                    .ifNoItem()
                    .after(timeout)
                    .failWith(() ->
                            new LlmTimeoutException("no answer within " + StreamTimeouts.seconds(timeout), timeout))
                    .onItem()
                    .invoke(item -> breaker.onSuccess(epoch))
                    .onCancellation()
                    .invoke(() -> breaker.onIgnored(epoch))
                    .onFailure()
                    .recoverWithUni(failure -> {
                        Next next = afterFailure(operation, failure, retry, epoch);
                        if (next.problem() != null) {
                            return Uni.createFrom().failure(next.problem());
                        }
                        return Uni.createFrom()
                                .voidItem()
                                .onItem()
                                .delayIt()
                                .by(next.delay())
                                .chain(() -> attemptCall(operation, attempt, retry + 1));
                    });
        });
    }

    private <T> Multi<T> attemptStream(String operation, Supplier<Multi<T>> attempt, int retry) {
        return Multi.createFrom().deferred(() -> {
            Duration open = breaker.acquire();
            if (open != null) {
                return Multi.createFrom().failure(circuitOpen(operation, open));
            }
            long epoch = breaker.epoch();
            LlmConfig.Timeouts t = config.timeout();
            AtomicBoolean started = new AtomicBoolean();
            return StreamTimeouts.apply(attempt.get(), t.firstToken(), t.idle(), t.stream())
                    .onItem()
                    .invoke(item -> {
                        if (started.compareAndSet(false, true)) {
                            breaker.onSuccess(epoch);
                        }
                    })
                    .onCompletion()
                    .invoke(() -> {
                        if (!started.get()) {
                            breaker.onSuccess(epoch);
                        }
                    })
                    .onCancellation()
                    .invoke(() -> {
                        if (!started.get()) {
                            breaker.onIgnored(epoch);
                        }
                    })
                    .onFailure()
                    .recoverWithMulti(failure -> {
                        if (started.get()) {
                            LlmFailure f = LlmFailure.of(failure);
                            metrics.error(operation, f.label());
                            if (f.countsAgainstEndpoint()) {
                                breaker.onFailure(epoch);
                            }
                            ProblemException problem = f.problem(endpoint.endpointHost(), retry + 1);
                            Log.warnf("LLM %s failed mid-stream: %s", operation, problem.getMessage());
                            return Multi.createFrom().failure(problem);
                        }
                        Next next = afterFailure(operation, failure, retry, epoch);
                        if (next.problem() != null) {
                            return Multi.createFrom().failure(next.problem());
                        }
                        return Uni.createFrom()
                                .voidItem()
                                .onItem()
                                .delayIt()
                                .by(next.delay())
                                .onItem()
                                .transformToMulti(v -> attemptStream(operation, attempt, retry + 1));
                    });
        });
    }

    /** After a failed attempt: wait this long and try again, or give up with this problem. */
    private record Next(Duration delay, ProblemException problem) {}

    /** Records a failed attempt and decides what comes next. */
    private Next afterFailure(String operation, Throwable failure, int retry, long epoch) {
        LlmFailure f = LlmFailure.of(failure);
        if (f.kind() == LlmFailure.Kind.PROBLEM) {
            return new Next(null, f.problem(endpoint.endpointHost(), retry + 1));
        }
        metrics.error(operation, f.label());
        if (f.countsAgainstEndpoint()) {
            breaker.onFailure(epoch);
        } else {
            breaker.onSuccess(epoch);
        }
        LlmConfig.Retry policy = config.retry();
        Duration wait = f.retryAfter() != null ? f.retryAfter() : backoff(retry, policy);
        if (!f.retryable() || retry >= policy.maxRetries() || wait.compareTo(policy.maxRetryAfter()) > 0) {
            ProblemException problem = f.problem(endpoint.endpointHost(), retry + 1);
            Log.warnf("LLM %s failed: %s", operation, problem.getMessage());
            return new Next(null, problem);
        }
        metrics.retry(operation, f.label());
        Log.debugf(
                "LLM %s attempt %d failed (%s); retrying in %d ms", operation, retry + 1, f.label(), wait.toMillis());
        return new Next(wait.isZero() || wait.isNegative() ? Duration.ofMillis(1) : wait, null);
    }

    static Duration backoff(int retry, LlmConfig.Retry policy) {
        long base = policy.baseBackoff().toMillis();
        long capped = Math.min(policy.maxBackoff().toMillis(), base << Math.min(20, retry));
        long half = capped / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    private ProblemException circuitOpen(String operation, Duration wait) {
        metrics.error(operation, "circuit_open");
        String detail = "The language model at " + endpoint.endpointHost() + " failed " + breaker.failures()
                + " of the last " + breaker.window() + " calls; calls to it are suspended for "
                + StreamTimeouts.seconds(roundUp(wait))
                + ".";
        return ProblemException.retryLater(ProblemType.LLM_UNAVAILABLE, detail, wait);
    }

    private void done(String operation, boolean success, long start) {
        metrics.call(operation, endpoint.model(), success ? "success" : "failure", since(start));
    }

    private static Duration roundUp(Duration d) {
        return Duration.ofSeconds((d.toMillis() + 999) / 1000);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
