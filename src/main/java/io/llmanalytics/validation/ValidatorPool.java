package io.llmanalytics.validation;

import io.quarkus.logging.Log;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.management.JMException;
import javax.management.ObjectName;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;

/**
 * A fixed set of threads, each owning one long-lived GraalPy context with the policy loaded, all sharing one
 * {@link Engine}. Checks queue for the next free thread (bounded queue, bounded wait). Contexts are created one after
 * the other (the first pays for the engine, about 5 s; the next ones under a second) and warmed with a few checks
 * before they serve requests: the first context serves checks while the next ones are still being created. A check
 * queued before any context is warm waits for the first one (at most the warm-up timeout), then at most the acquire
 * timeout like any other. A context that breaks is replaced by its own thread.
 */
public final class ValidatorPool implements AutoCloseable {

    /** The state of the pool, for readiness and health. */
    public enum State {
        NEW,
        STARTING,
        READY,
        FAILED,
        CLOSED
    }

    /** A snapshot of the pool for health reports. */
    public record Status(
            State state,
            int size,
            int ready,
            long firstWarmMillis,
            long warmUpMillis,
            long checks,
            int queued,
            String error) {

        /** Whether the pool takes checks: starting or ready (a check queued while it warms waits for a context). */
        public boolean serving() {
            return state == State.NEW || state == State.STARTING || state == State.READY;
        }

        /** Whether contexts are still being created and warmed. */
        public boolean warming() {
            return serving() && ready < size;
        }
    }

    private static final int WARM_UP_ROUNDS = 15;

    private final PolicySources sources;
    private final int size;
    private final int maxCodeLength;
    private final Duration acquireTimeout;
    private final Duration checkTimeout;
    private final Duration warmUpTimeout;
    private final Duration startDelay;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final BlockingQueue<Job> jobs;
    private final ReentrantLock creation = new ReentrantLock();
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicLong checks = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService watchdog;
    private volatile State state = State.NEW;
    private volatile String error;
    private volatile long startedAt;
    private volatile long warmUpMillis = -1;
    private volatile long firstWarmMillis = -1;
    private volatile long firstWarmAt;
    private volatile Engine engine;
    private volatile Source policy;

    public ValidatorPool(
            PolicySources sources,
            int size,
            int maxCodeLength,
            int queueCapacity,
            Duration acquireTimeout,
            Duration checkTimeout) {
        this(sources, size, maxCodeLength, queueCapacity, acquireTimeout, checkTimeout, acquireTimeout, Duration.ZERO);
    }

    /**
     * @param warmUpTimeout longest time a check queued before any context is warm waits for the first one
     * @param startDelay time the threads wait before creating their contexts (tests use it to ask during warm-up)
     */
    public ValidatorPool(
            PolicySources sources,
            int size,
            int maxCodeLength,
            int queueCapacity,
            Duration acquireTimeout,
            Duration checkTimeout,
            Duration warmUpTimeout,
            Duration startDelay) {
        if (size < 1) {
            throw new IllegalArgumentException("the validator pool needs at least one context");
        }
        this.sources = sources;
        this.size = size;
        this.maxCodeLength = maxCodeLength;
        this.acquireTimeout = acquireTimeout;
        this.checkTimeout = checkTimeout;
        this.warmUpTimeout = warmUpTimeout;
        this.startDelay = startDelay;
        this.jobs = new ArrayBlockingQueue<>(Math.max(1, queueCapacity));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "validator-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the threads; each creates and warms its context in the background. Idempotent. */
    public synchronized void start() {
        if (state != State.NEW) {
            return;
        }
        state = State.STARTING;
        startedAt = System.nanoTime();
        for (int i = 0; i < size; i++) {
            Thread thread = new Thread(this::work, "validator-" + (i + 1));
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Queues a check. The future fails with {@link RejectedExecutionException} when the queue is full or the pool
     * has failed or closed, and with {@link java.util.concurrent.TimeoutException} when no context became free within
     * the acquire timeout.
     */
    public CompletableFuture<List<Violation>> submit(String code) {
        if (state == State.NEW) {
            start();
        }
        Job job = new Job(code, System.nanoTime(), firstWarmAt != 0);
        if (state == State.FAILED || state == State.CLOSED) {
            job.result.completeExceptionally(new RejectedExecutionException(
                    "the validator is " + state.name().toLowerCase() + (error == null ? "" : ": " + error)));
        } else if (!jobs.offer(job)) {
            job.result.completeExceptionally(new RejectedExecutionException("the validator queue is full"));
        }
        return job.result;
    }

    private void work() {
        PolicyContext context = null;
        try {
            if (startDelay.isPositive() && closing.await(startDelay.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            context = createContext(true);
            while (state != State.CLOSED) {
                Job job = jobs.poll(1, TimeUnit.SECONDS);
                if (job == null || job.result.isDone()) {
                    continue;
                }
                String late = late(job, System.nanoTime());
                if (late != null) {
                    job.result.completeExceptionally(new TimeoutException(late));
                    continue;
                }
                try {
                    job.result.complete(context.check(job.code));
                } catch (RuntimeException e) {
                    job.result.completeExceptionally(e);
                }
                checks.incrementAndGet();
                if (context.broken()) {
                    Log.warn("Replacing a broken validation context");
                    context.close();
                    context = null;
                    context = createContext(false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            state = state == State.CLOSED ? State.CLOSED : State.FAILED;
            Log.errorf(e, "The validator could not create a GraalPy context");
            failQueued();
        } finally {
            if (context != null) {
                context.close();
            }
        }
    }

    /**
     * Why a job waited too long, or null. A job queued while no context was warm may wait the warm-up timeout for the
     * first one, and from then on the acquire timeout; any other job the acquire timeout from when it was queued.
     */
    private String late(Job job, long now) {
        if (job.queuedWarm) {
            return now - job.queuedAt > acquireTimeout.toNanos()
                    ? "no validator context was free within " + acquireTimeout.toMillis() + " ms"
                    : null;
        }
        long warmAt = firstWarmAt;
        if (warmAt - job.queuedAt > warmUpTimeout.toNanos()) {
            return "no validator context was warm within " + warmUpTimeout.toMillis() + " ms";
        }
        return now - Math.max(warmAt, job.queuedAt) > acquireTimeout.toNanos()
                ? "no validator context was free within " + acquireTimeout.toMillis() + " ms"
                : null;
    }

    private PolicyContext createContext(boolean initial) {
        creation.lock();
        try {
            if (state == State.CLOSED) {
                throw new IllegalStateException("the validator is closed");
            }
            long begin = System.nanoTime();
            if (engine == null) {
                engine = PolicyContext.newEngine();
                policy = PolicyContext.policySource(sources);
            }
            PolicyContext context =
                    PolicyContext.create(engine, sources, policy, maxCodeLength, watchdog, checkTimeout);
            long created = System.nanoTime();
            String warmUp = PolicySources.resource(PolicySources.WARM_UP);
            for (int i = 0; i < WARM_UP_ROUNDS; i++) {
                context.check(warmUp);
            }
            Log.debugf(
                    "Validation context on %s: created in %d ms, warmed in %d ms",
                    Thread.currentThread().getName(),
                    (created - begin) / 1_000_000,
                    (System.nanoTime() - created) / 1_000_000);
            if (initial && ready.incrementAndGet() == 1) {
                firstWarmAt = System.nanoTime();
                firstWarmMillis = (firstWarmAt - startedAt) / 1_000_000;
                Log.infof("Code validator serving: first GraalPy context warm in %d ms", firstWarmMillis);
            }
            if (initial && ready.get() == size) {
                warmUpMillis = (System.nanoTime() - startedAt) / 1_000_000;
                if (state == State.STARTING) {
                    state = State.READY;
                }
                Log.infof("Code validator ready: %d GraalPy contexts warm in %d ms", size, warmUpMillis);
                watchdog.execute(ValidatorPool::releaseWarmUpMemory);
            }
            return context;
        } finally {
            creation.unlock();
        }
    }

    /**
     * Gives back what warming the contexts left behind: the garbage of the warm-up checks (a full GC lets the heap
     * shrink) and the memory the JIT compiler took from {@code malloc} to compile GraalPy's interpreter, which glibc
     * keeps until asked to trim (about 40-120 MB measured). Once, after the last context is warm; on a JVM without
     * the diagnostic command (a native image) only the GC runs.
     */
    static String releaseWarmUpMemory() {
        long before = Runtime.getRuntime().totalMemory();
        System.gc();
        String trimmed;
        try {
            Object answer = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "systemTrimNativeHeap",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
            trimmed = String.valueOf(answer).strip();
        } catch (JMException | RuntimeException e) {
            trimmed = "native heap not trimmed (" + e.getClass().getSimpleName() + ")";
        }
        String released = String.format(
                "heap %d -> %d MB; %s", before >> 20, Runtime.getRuntime().totalMemory() >> 20, trimmed);
        Log.debugf("Validator warm-up memory released: %s", released);
        return released;
    }

    private void failQueued() {
        Job job;
        while ((job = jobs.poll()) != null) {
            job.result.completeExceptionally(new RejectedExecutionException("the validator is unavailable: " + error));
        }
    }

    public boolean ready() {
        return state == State.READY;
    }

    /** Whether at least one context is warm: a check now waits only for a free context, not for the warm-up. */
    public boolean warm() {
        return ready.get() > 0 && (state == State.STARTING || state == State.READY);
    }

    public Status status() {
        return new Status(state, size, ready.get(), firstWarmMillis, warmUpMillis, checks.get(), jobs.size(), error);
    }

    @Override
    public void close() {
        synchronized (this) {
            state = State.CLOSED;
        }
        closing.countDown();
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failQueued();
        watchdog.shutdownNow();
        Engine current = engine;
        if (current != null) {
            try {
                current.close(true);
            } catch (RuntimeException e) {
                Log.debugf("Closing the validation engine: %s", e.getMessage());
            }
        }
    }

    private static final class Job {
        final String code;
        final long queuedAt;
        final boolean queuedWarm;
        final CompletableFuture<List<Violation>> result = new CompletableFuture<>();

        Job(String code, long queuedAt, boolean queuedWarm) {
            this.code = code;
            this.queuedAt = queuedAt;
            this.queuedWarm = queuedWarm;
        }
    }
}
