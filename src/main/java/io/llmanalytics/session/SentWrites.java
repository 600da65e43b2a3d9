package io.llmanalytics.session;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Writes sent to the store that run to their end even when whoever sent them stops waiting (a failure elsewhere, a
 * timeout): a write already sent is applied by the server anyway, so a clean-up must wait for {@link #settled()}
 * before it deletes what they wrote, or a late write would land after the delete.
 */
final class SentWrites {

    private int running;
    private final List<Runnable> waiting = new ArrayList<>();

    /** Sends {@code write} (one result expected); cancelling the returned Uni does not cancel the write. */
    Uni<Void> send(Publisher<?> write) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                running++;
            }
            write.subscribe(new Subscriber<Object>() {
                @Override
                public void onSubscribe(Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Object result) {
                    // the write's acknowledgement: its end is onComplete
                }

                @Override
                public void onError(Throwable t) {
                    ended();
                    emitter.fail(t);
                }

                @Override
                public void onComplete() {
                    ended();
                    emitter.complete(null);
                }
            });
        });
    }

    private void ended() {
        List<Runnable> ready;
        synchronized (this) {
            if (--running > 0) {
                return;
            }
            ready = List.copyOf(waiting);
            waiting.clear();
        }
        ready.forEach(Runnable::run);
    }

    /** Completes once no write sent is still running. */
    Uni<Void> settled() {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                if (running > 0) {
                    waiting.add(() -> emitter.complete(null));
                    return;
                }
            }
            emitter.complete(null);
        });
    }
}
