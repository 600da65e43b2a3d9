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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Ends analysis streams cleanly when the service stops. Shutdown starts with Quarkus' shutdown-delay event (fired as
 * soon as the process is asked to stop, while readiness turns DOWN and before the HTTP server stops taking
 * requests): from then on new analyses are refused with a 503 {@code shutting-down} problem and a Retry-After, so
 * that the client asks again and another instance answers; streams in progress get {@code analysis.drain-timeout} to
 * finish on their own, and any still open then end with an {@code error} event ({@code shutting-down}, 503) rather
 * than a cut connection, their model call and worker execution cancelled. Keep {@code analysis.drain-timeout} below
 * {@code quarkus.shutdown.timeout}, which bounds how long the HTTP server waits for requests in flight.
 */
@ApplicationScoped
public class StreamDrain {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Set<Consumer<AnalysisEvent.Error>> open = ConcurrentHashMap.newKeySet();
    private final Duration timeout;
    private final Vertx vertx;
    private volatile boolean draining;
    private volatile long timer = -1;

    public StreamDrain(AnalysisConfig config, Vertx vertx) {
        this.timeout = config.drainTimeout();
        this.vertx = vertx;
    }

    void shutdownStarting(@Observes ShutdownDelayInitiatedEvent event) {
        begin(timeout);
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
