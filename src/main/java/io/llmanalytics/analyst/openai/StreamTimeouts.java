package io.llmanalytics.analyst.openai;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bounds a stream three ways: the first item within {@code first}, every next item within {@code idle} of the
 * previous one, and the whole stream within {@code total}. On a timeout the stream fails with an {@link
 * LlmTimeoutException} and the upstream subscription is cancelled (which resets the HTTP request).
 */
public final class StreamTimeouts {

    private StreamTimeouts() {}

    public static <T> Multi<T> apply(Multi<T> upstream, Duration first, Duration idle, Duration total) {
        return Multi.createFrom().<T>emitter(emitter -> new Watch<T>(emitter, first, idle, total).start(upstream));
    }

    private static final class Watch<T> {
        private final MultiEmitter<? super T> emitter;
        private final Duration first;
        private final Duration idle;
        private final Duration total;
        private final ScheduledExecutorService timer = Infrastructure.getDefaultWorkerPool();
        private final AtomicReference<ScheduledFuture<?>> silence = new AtomicReference<>();
        private final AtomicReference<Cancellable> subscription = new AtomicReference<>();
        private final AtomicBoolean terminated = new AtomicBoolean();
        private ScheduledFuture<?> deadline;

        Watch(MultiEmitter<? super T> emitter, Duration first, Duration idle, Duration total) {
            this.emitter = emitter;
            this.first = first;
            this.idle = idle;
            this.total = total;
        }

        void start(Multi<T> upstream) {
            emitter.onTermination(this::stop);
            deadline = timer.schedule(
                    () -> timeout("the answer was not complete within " + seconds(total), total),
                    total.toMillis(),
                    TimeUnit.MILLISECONDS);
            arm(first, "no first token within " + seconds(first));
            Cancellable cancellable = upstream.subscribe().with(this::onItem, emitter::fail, emitter::complete);
            subscription.set(cancellable);
            if (terminated.get()) {
                cancellable.cancel();
            }
        }

        private void onItem(T item) {
            if (terminated.get()) {
                return;
            }
            arm(idle, "no token for " + seconds(idle) + " in the middle of the answer");
            emitter.emit(item);
        }

        private void arm(Duration limit, String what) {
            ScheduledFuture<?> next =
                    timer.schedule(() -> timeout(what, limit), limit.toMillis(), TimeUnit.MILLISECONDS);
            ScheduledFuture<?> previous = silence.getAndSet(next);
            if (previous != null) {
                previous.cancel(false);
            }
            if (terminated.get()) {
                next.cancel(false);
            }
        }

        private void timeout(String what, Duration limit) {
            if (!terminated.get()) {
                emitter.fail(new LlmTimeoutException(what, limit));
            }
        }

        private void stop() {
            if (!terminated.compareAndSet(false, true)) {
                return;
            }
            if (deadline != null) {
                deadline.cancel(false);
            }
            ScheduledFuture<?> pending = silence.get();
            if (pending != null) {
                pending.cancel(false);
            }
            Cancellable cancellable = subscription.get();
            if (cancellable != null) {
                cancellable.cancel();
            }
        }
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
