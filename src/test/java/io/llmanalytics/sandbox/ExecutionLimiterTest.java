package io.llmanalytics.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExecutionLimiterTest {

    private final ExecutionLimiter limiter = new ExecutionLimiter(2, 1, Duration.ofSeconds(30), Duration.ofSeconds(3));

    @Test
    void grantsUpToItsSlotsThenQueuesThenRefuses() throws Exception {
        ExecutionLimiter.Permit a = limiter.acquire().await().indefinitely();
        ExecutionLimiter.Permit b = limiter.acquire().await().indefinitely();
        CompletableFuture<ExecutionLimiter.Permit> c = limiter.acquire().subscribeAsCompletionStage();
        assertEquals(2, limiter.running());
        assertEquals(1, limiter.queued());
        Throwable refused = assertThrowsFailure(() -> limiter.acquire().await().indefinitely());
        ProblemException busy = assertInstanceOf(ProblemException.class, refused);
        assertEquals(ProblemType.WORKER_BUSY, busy.type());
        assertEquals(Duration.ofSeconds(3), busy.retryAfter().orElseThrow());
        assertTrue(busy.getMessage().contains("all 2 analysis slots are in use and 1 executions are waiting"));
        assertFalse(c.isDone());
        a.release();
        a.release();
        ExecutionLimiter.Permit third = c.get(5, TimeUnit.SECONDS);
        assertEquals(2, limiter.running());
        assertEquals(0, limiter.queued());
        b.release();
        third.release();
        assertEquals(0, limiter.running());
    }

    @Test
    void aCancelledWaiterLeavesTheQueue() {
        ExecutionLimiter.Permit a = limiter.acquire().await().indefinitely();
        ExecutionLimiter.Permit b = limiter.acquire().await().indefinitely();
        Cancellable waiting = limiter.acquire().subscribe().with(p -> {});
        assertEquals(1, limiter.queued());
        waiting.cancel();
        assertEquals(0, limiter.queued());
        a.release();
        b.release();
        assertEquals(0, limiter.running());
    }

    @Test
    void waitingTooLongIsBusy() {
        ExecutionLimiter shortWait = new ExecutionLimiter(1, 5, Duration.ofMillis(100), Duration.ofSeconds(1));
        ExecutionLimiter.Permit a = shortWait.acquire().await().indefinitely();
        ProblemException busy = assertInstanceOf(
                ProblemException.class,
                assertThrowsFailure(() -> shortWait.acquire().await().indefinitely()));
        assertTrue(busy.getMessage().contains("no analysis slot became free"));
        assertEquals(0, shortWait.queued());
        a.release();
        assertEquals(0, shortWait.running());
    }

    private static Throwable assertThrowsFailure(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
