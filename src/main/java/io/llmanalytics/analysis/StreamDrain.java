package io.llmanalytics.analysis;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Ends analysis streams cleanly when the service stops, as Kubernetes expects of a pod. Shutdown starts with Quarkus'
 * shutdown-delay event, fired as soon as the process is asked to stop: readiness turns DOWN, but for
 * {@code quarkus.shutdown.delay} the instance keeps serving every request, new analyses included, because the load
 * balancers (endpoints, ingress) learn of the readiness change only within that time and still send requests here
 * meanwhile; refusing them would show clients a 5xx. Once the delay is over (no balancer sends anything new), new
 * analyses are refused with a 503 {@code shutting-down} problem and a Retry-After (the HTTP server itself refuses
 * other new requests with 503 from then on), and streams in progress get {@code analysis.drain-timeout} to finish on
 * their own; any still open then end with an {@code error} event ({@code shutting-down}, 503) rather than a cut
 * connection, their model call and worker execution cancelled. Keep {@code analysis.drain-timeout} below
 * {@code quarkus.shutdown.timeout}, which bounds how long the HTTP server waits for requests in flight.
 */
@ApplicationScoped
public class StreamDrain {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Set<Consumer<AnalysisEvent.Error>> open = ConcurrentHashMap.newKeySet();
    private final Duration timeout;
    private final Duration delay;
    private final Vertx vertx;
    private volatile boolean draining;
    private volatile long timer = -1;
    private volatile long delayTimer = -1;

    public StreamDrain(
            AnalysisConfig config,
            Vertx vertx,
            @ConfigProperty(name = "quarkus.shutdown.delay-enabled", defaultValue = "false") boolean delayEnabled,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay) {
        this.timeout = config.drainTimeout();
        this.delay = delayEnabled ? delay.orElse(Duration.ZERO) : Duration.ZERO;
        this.vertx = vertx;
    }

    /** Readiness is DOWN from now on; the drain begins once the balancers had the shutdown delay to notice. */
    void shutdownStarting(@Observes ShutdownDelayInitiatedEvent event) {
        if (delay.toMillis() <= 0) {
            begin(timeout);
            return;
        }
        Log.infof(
                "Shutting down: readiness is DOWN; analyses are still taken for the %d ms shutdown delay",
                delay.toMillis());
        delayTimer = vertx.setTimer(delay.toMillis(), id -> begin(timeout));
    }

    void shutdown(@Observes ShutdownEvent event) {
        begin(Duration.ZERO);
    }

    /** Refuses new analyses from now on, and ends the streams still open after {@code grace}. */
    void begin(Duration grace) {
        if (!draining) {
            Log.infof(
                    "Shutting down: new analyses are refused; %d open streams get %d s to finish",
                    open.size(), grace.toSeconds());
        }
        draining = true;
        if (grace.isZero() || grace.isNegative()) {
            endAll();
        } else if (timer < 0) {
            timer = vertx.setTimer(grace.toMillis(), id -> endAll());
        }
    }

    /** Takes new analyses again (a drain that was started and then abandoned, as tests do). */
    void resume() {
        draining = false;
        long d = delayTimer;
        delayTimer = -1;
        if (d >= 0) {
            vertx.cancelTimer(d);
        }
        long t = timer;
        timer = -1;
        if (t >= 0) {
            vertx.cancelTimer(t);
        }
    }

    /** Throws the 503 {@code shutting-down} problem while draining. */
    void refuseIfDraining() {
        if (draining) {
            throw ProblemException.retryLater(
                    ProblemType.SHUTTING_DOWN,
                    "This instance is shutting down; ask again in a moment and another instance will answer.",
                    RETRY_AFTER);
        }
    }

    /** Registers an open stream; {@code end} receives the error event that ends it. Returns the deregistration. */
    Runnable register(Consumer<AnalysisEvent.Error> end) {
        open.add(end);
        return () -> open.remove(end);
    }

    int openStreams() {
        return open.size();
    }

    private void endAll() {
        AnalysisEvent.Error error = new AnalysisEvent.Error(
                ProblemType.SHUTTING_DOWN.uri(),
                ProblemType.SHUTTING_DOWN.title(),
                ProblemType.SHUTTING_DOWN.status(),
                "This instance shut down before the analysis finished; ask again and another instance will answer.",
                null);
        for (Consumer<AnalysisEvent.Error> end : Set.copyOf(open)) {
            open.remove(end);
            try {
                end.accept(error);
            } catch (RuntimeException e) {
                Log.debugf("Could not end a stream: %s", e.getMessage());
            }
        }
    }
}
