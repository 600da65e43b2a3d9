package io.llmanalytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The service's edges without CDI: pre-checks that need no Python, and a pool that cannot answer in time. */
class CodeValidatorTest {

    private static ValidationConfig config(Duration acquireTimeout) {
        return config(acquireTimeout, Duration.ZERO);
    }

    /** A pool of one context, not warmed at start-up, that waits {@code startDelay} before creating it. */
    static ValidationConfig config(Duration acquireTimeout, Duration startDelay) {
        return new ValidationConfig() {
            @Override
            public int poolSize() {
                return 1;
            }

            @Override
            public int maxCodeLength() {
                return 100;
            }

            @Override
            public Duration acquireTimeout() {
                return acquireTimeout;
            }

            @Override
            public Duration checkTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public int queueCapacity() {
                return 4;
            }

            @Override
            public Duration warmUpTimeout() {
                return acquireTimeout;
            }

            @Override
            public boolean warmAtStartup() {
                return false;
            }

            @Override
            public Duration warmUpAfterWorker() {
                return Duration.ZERO;
            }

            @Override
            public Duration startDelay() {
                return startDelay;
            }

            @Override
            public int initialContexts() {
                return 1;
            }

            @Override
            public Duration idleTimeout() {
                return Duration.ZERO;
            }
        };
    }

    @Test
    void precheckNeedsNoPython() {
        CodeValidator validator = new CodeValidator(config(Duration.ofSeconds(1)), new SimpleMeterRegistry());
        try {
            assertEquals(
                    "code-empty", validator.precheck("").violations().get(0).rule());
            assertEquals(
                    "code-too-long",
                    validator.precheck("x".repeat(101)).violations().get(0).rule());
            assertEquals(null, validator.precheck("result = 1"));
            assertFalse(validator.ready());
            assertEquals(ValidatorPool.State.NEW, validator.status().state());
            assertTrue(validator.policy().rules().size() >= 20);
            assertEquals(100, validator.policy().maxCodeLength());
        } finally {
            validator.close();
        }
    }

    @Test
    void aValidatorThatCannotAnswerInTimeIsA503WithRetryAfter() {
        CodeValidator validator = new CodeValidator(config(Duration.ofMillis(1)), new SimpleMeterRegistry());
        try {
            ProblemException error = assertThrows(
                    ProblemException.class,
                    () -> validator.validate("result = 1").await().atMost(Duration.ofMinutes(2)));
            assertEquals(ProblemType.VALIDATOR_UNAVAILABLE, error.type());
            assertEquals(503, error.problem().status());
            assertTrue(error.retryAfter().isPresent());
            assertTrue(
                    error.problem().detail().contains("busy or still starting"),
                    error.problem().detail());
        } finally {
            validator.close();
        }
    }
}
