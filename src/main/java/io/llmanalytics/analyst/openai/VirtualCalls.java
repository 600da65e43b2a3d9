package io.llmanalytics.analyst.openai;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Blocking calls to the model, each on a new virtual thread (never on the event loop or the worker pool: a thousand
 * calls waiting on the model cost a thousand parked virtual threads).
 */
final class VirtualCalls implements AutoCloseable {

    private final ExecutorService calls;

    VirtualCalls(String threadPrefix) {
        this.calls = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(threadPrefix, 0).factory());
    }

    /**
     * Runs a blocking call on a new virtual thread; cancelling the {@code Uni} interrupts it. The outcome is delivered
     * on the subscriber's Vert.x context when it had one.
     */
    <T> Uni<T> uni(Callable<T> call) {
        return Uni.createFrom().emitter(emitter -> {
            Context caller = Vertx.currentContext();
            Future<?> task = calls.submit(() -> {
                try {
                    T value = call.call();
                    deliver(caller, () -> emitter.complete(value));
                } catch (Throwable failure) {
                    deliver(caller, () -> emitter.fail(failure));
                }
            });
            emitter.onTermination(() -> task.cancel(true));
        });
    }

    Future<?> submit(Runnable task) {
        return calls.submit(task);
    }

    void execute(Runnable task) {
        calls.execute(task);
    }

    private static void deliver(Context context, Runnable outcome) {
        if (context == null) {
            outcome.run();
        } else {
            context.runOnContext(v -> outcome.run());
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
