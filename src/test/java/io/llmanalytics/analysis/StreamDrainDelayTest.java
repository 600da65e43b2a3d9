package io.llmanalytics.analysis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shutdown delay as Kubernetes needs it: after SIGTERM (Quarkus' shutdown-delay event) analyses are still taken
 * while the balancers learn that readiness is DOWN, and refused with the 503 {@code shutting-down} problem only once
 * the delay is over. Without a delay the drain begins at once.
 */
class StreamDrainDelayTest {

    Vertx vertx;
    AnalysisConfig config;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        config = new SmallRyeConfigBuilder()
                .withMapping(AnalysisConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // "20s", as Quarkus reads it
                .build()
                .getConfigMapping(AnalysisConfig.class);
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void analysesAreTakenDuringTheDelayAndRefusedAfterIt() {
        StreamDrain drain = new StreamDrain(config, vertx, true, Optional.of(Duration.ofSeconds(2)));
        long asked = System.nanoTime();
        drain.shutdownStarting(new ShutdownDelayInitiatedEvent());
        assertDoesNotThrow(drain::refuseIfDraining, "taken during the delay");
        await("refused once the delay is over")
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThrows(ProblemException.class, drain::refuseIfDraining));
        assertTrue(
                System.nanoTime() - asked >= Duration.ofSeconds(2).toNanos(), "not refused before the delay was over");
        ProblemException refused = assertThrows(ProblemException.class, drain::refuseIfDraining);
        assertEquals(ProblemType.SHUTTING_DOWN.status(), refused.problem().status());
        assertEquals(Duration.ofSeconds(1), refused.retryAfter().orElseThrow());
        drain.resume();
    }

    @Test
    void withoutADelayTheDrainBeginsAtOnce() {
        StreamDrain drain = new StreamDrain(config, vertx, false, Optional.of(Duration.ofSeconds(5)));
        drain.shutdownStarting(new ShutdownDelayInitiatedEvent());
        assertThrows(ProblemException.class, drain::refuseIfDraining);
        drain.resume();
        assertDoesNotThrow(drain::refuseIfDraining);
    }
}
