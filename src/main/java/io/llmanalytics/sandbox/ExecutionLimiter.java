package io.llmanalytics.sandbox;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounded concurrency with a bounded queue: at most {@code slots} executions at once, at most {@code queueSize}
 * waiting; beyond that, or after waiting {@code queueTimeout}, callers get WORKER_BUSY with a Retry-After at once.
 */
final class ExecutionLimiter {

    /** A held slot; releasing it twice is harmless. */
    static final class Permit {
        private final ExecutionLimiter owner;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(ExecutionLimiter owner) {
            this.owner = owner;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                owner.release();
            }
        }
    }

    private enum State {
        WAITING,
        GRANTED,
        CANCELLED
    }

    private static final class Waiter {
        final UniEmitter<? super Permit> emitter;
        final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
        volatile Permit permit;

        Waiter(UniEmitter<? super Permit> emitter) {
            this.emitter = emitter;
        }
    }

    private final int slots;
    private final int queueSize;
    private final Duration queueTimeout;
    private final Duration retryAfter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Waiter> queue = new ArrayDeque<>();
    private int available;

    ExecutionLimiter(int slots, int queueSize, Duration queueTimeout, Duration retryAfter) {
        this.slots = slots;
        this.queueSize = queueSize;
        this.queueTimeout = queueTimeout;
        this.retryAfter = retryAfter;
        this.available = slots;
    }

    /** A slot, now or when one frees up; WORKER_BUSY when the queue is full or the wait too long. */
    Uni<Permit> acquire() {
        AtomicReference<Waiter> created = new AtomicReference<>();
        return Uni.createFrom()
                .<Permit>emitter(emitter -> {
                    Waiter waiter = new Waiter(emitter);
                    created.set(waiter);
                    boolean granted = false;
                    boolean full = false;
                    lock.lock();
                    try {
                        if (available > 0) {
                            available--;
                            granted = true;
                        } else if (queue.size() < queueSize) {
                            queue.addLast(waiter);
                        } else {
                            full = true;
                        }
                    } finally {
                        lock.unlock();
                    }
                    if (granted) {
                        grant(waiter);
                    } else if (full) {
                        emitter.fail(busy("all " + slots + " analysis slots are in use and " + queueSize
                                + " executions are waiting"));
                    }
                })
                .onCancellation()
                .invoke(() -> {
                    Waiter waiter = created.get();
                    if (waiter != null) {
                        abandon(waiter);
                    }
                })
                .ifNoItem()
                .after(queueTimeout)
                .failWith(() -> busy("no analysis slot became free within " + queueTimeout.toSeconds() + " s"));
    }

    int running() {
        lock.lock();
        try {
            return slots - available;
        } finally {
            lock.unlock();
        }
    }

    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    int slots() {
        return slots;
    }

    private boolean grant(Waiter waiter) {
        if (!waiter.state.compareAndSet(State.WAITING, State.GRANTED)) {
            return false;
        }
        waiter.permit = new Permit(this);
        waiter.emitter.complete(waiter.permit);
        return true;
    }

    private void abandon(Waiter waiter) {
        if (waiter.state.compareAndSet(State.WAITING, State.CANCELLED)) {
            lock.lock();
            try {
                queue.remove(waiter);
            } finally {
                lock.unlock();
            }
        } else if (waiter.permit != null) {
            waiter.permit.release(); // granted while the caller went away
        }
    }

    private void release() {
        while (true) {
            Waiter next;
            lock.lock();
            try {
                next = queue.pollFirst();
                if (next == null) {
                    available++;
                    return;
                }
            } finally {
                lock.unlock();
            }
            if (grant(next)) {
                return;
            }
        }
    }

    private ProblemException busy(String detail) {
        return ProblemException.retryLater(
                ProblemType.WORKER_BUSY, detail + "; retry in " + retryAfter.toSeconds() + " s", retryAfter);
    }
}
