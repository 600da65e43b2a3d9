package io.llmanalytics.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting on a condition (checked at once, then every 50 ms, through Awaitility), never a fixed sleep: returns as soon
 * as it holds.
 */
public final class Conditions {

    private Conditions() {}

    /**
     * Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. An exception thrown by the
     * condition counts as "not yet".
     */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        try {
            await(what)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within " + timeout + ": " + what, e);
        }
    }
}
