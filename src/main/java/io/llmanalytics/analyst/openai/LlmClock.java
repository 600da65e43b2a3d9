package io.llmanalytics.analyst.openai;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Qualifier;
import jakarta.inject.Singleton;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The clock of the model calls' resilience (the circuit breaker's open time and the {@code Retry-After} it reports):
 * monotonic, replaceable in tests by an {@code @Alternative} {@code @LlmClock InstantSource} bean.
 */
@Qualifier @Documented
@Retention(RUNTIME)
@Target({METHOD, FIELD, PARAMETER, TYPE})
public @interface LlmClock {

    /** Produces a monotonic clock (wall time at start plus {@code System.nanoTime()}) unless a test supplies another. */
    @Singleton
    final class Producer {

        @Produces
        @DefaultBean
        @Singleton
        @LlmClock
        InstantSource monotonicClock() {
            Instant start = Instant.now();
            long origin = System.nanoTime();
            return () -> start.plusNanos(System.nanoTime() - origin);
        }
    }
}
