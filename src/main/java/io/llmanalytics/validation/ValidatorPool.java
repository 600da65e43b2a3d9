package io.llmanalytics.validation;

import io.quarkus.logging.Log;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * An elastic set of threads, each owning one long-lived GraalPy context with the policy loaded, all sharing one
 * {@link Engine}. Checks queue for the next free thread (bounded queue, bounded wait). The pool starts with
 * {@link Settings#initialContexts()} contexts (the first pays for the engine, about 5 s; the next ones under a second),
 * each warmed with a few checks before it serves. It grows by one context at a time, in the background and never more
 * than {@link Settings#maxContexts()}, only when a check is queued while every warm context is busy; a context idle for
 * {@link Settings#idleTimeout()} is closed again, down to the initial number. A check never waits for a context's
 * creation while another context is free: every free context takes from the same queue. A check queued before any
 * context is warm waits for the first one (at most the warm-up timeout), then at most the acquire timeout like any
 * other. A context that breaks is replaced by its own thread.
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

    /**
     * How the pool is sized and bounded.
     *
     * @param maxContexts most contexts the pool grows to under load
     * @param initialContexts contexts created at start (and kept however idle), at most {@code maxContexts}
     * @param maxCodeLength longest code checked, in characters
     * @param queueCapacity checks waiting for a context beyond which new ones are refused at once
     * @param acquireTimeout longest wait for a free context once one is warm
     * @param checkTimeout longest time one check may run
     * @param warmUpTimeout longest time a check queued before any context is warm waits for the first one
     * @param startDelay time the first threads wait before creating their contexts (tests use it to ask during
     *     warm-up)
     * @param idleTimeout time after which a context beyond the initial ones that checked nothing is closed; zero keeps
     *     every context once created
     */
    public record Settings(
            int maxContexts,
            int initialContexts,
            int maxCodeLength,
            int queueCapacity,
            Duration acquireTimeout,
            Duration checkTimeout,
            Duration warmUpTimeout,
            Duration startDelay,
            Duration idleTimeout) {

        public Settings {
            if (maxContexts < 1 || initialContexts < 1) {
                throw new IllegalArgumentException("the validator pool needs at least one context");
            }
            initialContexts = Math.min(initialContexts, maxContexts);
        }

        /** Up to {@code maxContexts}, one at start, none closed when idle, warm-up bounded by the acquire timeout. */
        public static Settings of(int maxContexts, int queueCapacity, Duration acquireTimeout, Duration checkTimeout) {
            return new Settings(
                    maxContexts,
                    1,
                    10_000,
                    queueCapacity,
                    acquireTimeout,
                    checkTimeout,
                    acquireTimeout,
                    Duration.ZERO,
                    Duration.ZERO);
        }

        public Settings withWarmUp(Duration warmUpTimeout, Duration startDelay) {
            return new Settings(
                    maxContexts,
                    initialContexts,
                    maxCodeLength,
                    queueCapacity,
                    acquireTimeout,
                    checkTimeout,
                    warmUpTimeout,
                    startDelay,
                    idleTimeout);
        }

        public Settings withContexts(int initialContexts, Duration idleTimeout) {
            return new Settings(
                    maxContexts,
                    initialContexts,
                    maxCodeLength,
                    queueCapacity,
                    acquireTimeout,
                    checkTimeout,
                    warmUpTimeout,
                    startDelay,
                    idleTimeout);
        }
    }

    /**
     * A snapshot of the pool for health reports.
     *
     * @param size most contexts the pool may have
     * @param contexts contexts that exist now (warm or being created)
     * @param ready contexts warm and serving
     * @param initial contexts created at start (the warm-up is done once these are warm)
     */
    public record Status(
            State state,
            int size,
            int contexts,
            int ready,
            int initial,
            long firstWarmMillis,
            long warmUpMillis,
            long checks,
            int queued,
            String error) {

        /** Whether the pool takes checks: starting or ready (a check queued while it warms waits for a context). */
        public boolean serving() {
            return state == State.NEW || state == State.STARTING || state == State.READY;
        }

        /** Whether contexts are being created and warmed (at start, or as the pool grows under load). */
        public boolean warming() {
            return serving() && (state != State.READY || ready < contexts);
        }
    }

    private static final int WARM_UP_ROUNDS = 15;
    private static final long POLL_MILLIS = 250;
    /** How long closing waits for the engine before it leaves it to the process's exit. */
    private static final Duration ENGINE_CLOSE_WAIT = Duration.ofSeconds(10);

    private final PolicySources sources;
    private final Settings settings;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final BlockingQueue<Job> jobs;
    private final ReentrantLock creation = new ReentrantLock();
    /** Threads alive, each with a context warm or being created. */
    private final AtomicInteger contexts = new AtomicInteger();
    /** Contexts warm (serving or waiting for a check). */
    private final AtomicInteger ready = new AtomicInteger();
    /** Warm contexts waiting for a check. */
    private final AtomicInteger idle = new AtomicInteger();
    /** Contexts being created (the pool grows by one at a time). */
    private final AtomicInteger creating = new AtomicInteger();

    private final AtomicInteger threadNumbers = new AtomicInteger();
    private final AtomicInteger initialWarm = new AtomicInteger();
    private final AtomicLong checks = new AtomicLong();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watchdog;
    private volatile State state = State.NEW;
    private volatile String error;
    private volatile long startedAt;
    private volatile long warmUpMillis = -1;
    private volatile long firstWarmMillis = -1;
    private volatile long firstWarmAt;
    private volatile Engine engine;
    private volatile Source policy;

    public ValidatorPool(PolicySources sources, Settings settings) {
        this.sources = sources;
        this.settings = settings;
        this.jobs = new ArrayBlockingQueue<>(Math.max(1, settings.queueCapacity()));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "validator-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the initial threads; each creates and warms its context in the background. Idempotent. */
    public synchronized void start() {
        if (state != State.NEW) {
            return;
        }
        state = State.STARTING;
        startedAt = System.nanoTime();
        for (int i = 0; i < settings.initialContexts(); i++) {
            contexts.incrementAndGet();
            creating.incrementAndGet();
            spawn(true);
        }
    }

    private void spawn(boolean initial) {
        Thread thread = new Thread(() -> work(initial), "validator-" + threadNumbers.incrementAndGet());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
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
        } else {
            grow();
        }
        return job.result;
    }

    /**
     * Adds one context in the background when a check waits while every warm context is busy, once the start-up
     * warm-up is done, while no other context is being created and below the maximum. The waiting check is taken by
     * whichever context frees first, the new one or an existing one.
     */
    private void grow() {
        if (state != State.READY || idle.get() > 0 || jobs.isEmpty() || creating.get() > 0) {
            return;
        }
        synchronized (this) {
            if (state != State.READY || creating.get() > 0 || contexts.get() >= settings.maxContexts()) {
                return;
            }
            contexts.incrementAndGet();
            creating.incrementAndGet();
            Log.debugf(
                    "Validator: checks waiting, adding a GraalPy context (%d of at most %d)",
                    contexts.get(), settings.maxContexts());
            spawn(false);
        }
    }

    /** Whether this thread's idle context may close: beyond the initial ones, and the count says so atomically. */
    private boolean retire() {
        int now;
        do {
            now = contexts.get();
            if (now <= settings.initialContexts()) {
                return false;
            }
        } while (!contexts.compareAndSet(now, now - 1));
        return true;
    }

    private void work(boolean initial) {
        PolicyContext context = null;
        boolean counted = true; // this thread is still in `contexts`
        boolean isIdle = false;
        try {
            if (initial
                    && settings.startDelay().isPositive()
                    && closing.await(settings.startDelay().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            try {
                context = createContext(initial);
            } finally {
                creating.decrementAndGet();
            }
            idle.incrementAndGet();
            isIdle = true;
            grow(); // checks may have queued up while this context was created
            long lastUsed = System.nanoTime();
            Duration idleTimeout = settings.idleTimeout();
            while (state != State.CLOSED) {
                Job job = jobs.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (job == null) {
                    if (idleTimeout.isPositive() && System.nanoTime() - lastUsed > idleTimeout.toNanos() && retire()) {
                        counted = false;
                        Log.debugf("Validator: closing a GraalPy context idle for %d s", idleTimeout.toSeconds());
                        break;
                    }
                    continue;
                }
                if (job.result.isDone()) {
                    continue;
                }
                idle.decrementAndGet();
                isIdle = false;
                grow(); // more checks waiting while this context is now busy too
                String late = late(job, System.nanoTime());
                List<Violation> violations = null;
                Throwable failure = null;
                if (late != null) {
                    failure = new TimeoutException(late);
                } else {
                    try {
                        violations = context.check(job.code);
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                    checks.incrementAndGet();
                }
                boolean broken = late == null && context.broken();
                if (!broken) {
                    // idle again before the caller hears back, so that its next check does not look like a queue
                    idle.incrementAndGet();
                    isIdle = true;
                }
                if (failure == null) {
                    job.result.complete(violations);
                } else {
                    job.result.completeExceptionally(failure);
                }
                if (broken) {
                    Log.warn("Replacing a broken validation context");
                    ready.decrementAndGet();
                    context.close();
                    context = null;
                    context = createContext(false);
                    idle.incrementAndGet();
                    isIdle = true;
                }
                lastUsed = System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            if (!initial && context == null && !isIdle && state == State.READY && ready.get() > 0) {
                // a context added under load could not be created: the warm ones serve on, a later burst retries
                Log.warnf(e, "The validator could not add a GraalPy context; %d serve on", ready.get());
                return;
            }
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            state = state == State.CLOSED ? State.CLOSED : State.FAILED;
            Log.errorf(e, "The validator could not create a GraalPy context");
            failQueued();
        } finally {
            if (isIdle) {
                idle.decrementAndGet();
            }
            if (context != null) {
                ready.decrementAndGet();
                context.close();
            }
            if (counted) {
                contexts.decrementAndGet();
            }
            threads.remove(Thread.currentThread());
        }
    }

    /**
     * Why a job waited too long, or null. A job queued while no context was warm may wait the warm-up timeout for the
     * first one, and from then on the acquire timeout; any other job the acquire timeout from when it was queued.
     */
    private String late(Job job, long now) {
        if (job.queuedWarm) {
            return now - job.queuedAt > settings.acquireTimeout().toNanos()
                    ? "no validator context was free within "
                            + settings.acquireTimeout().toMillis() + " ms"
                    : null;
        }
        long warmAt = firstWarmAt;
        if (warmAt - job.queuedAt > settings.warmUpTimeout().toNanos()) {
            return "no validator context was warm within "
                    + settings.warmUpTimeout().toMillis() + " ms";
        }
        return now - Math.max(warmAt, job.queuedAt) > settings.acquireTimeout().toNanos()
                ? "no validator context was free within "
                        + settings.acquireTimeout().toMillis() + " ms"
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
            PolicyContext context = PolicyContext.create(
                    engine, sources, policy, settings.maxCodeLength(), watchdog, settings.checkTimeout());
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
            if (ready.incrementAndGet() == 1 && firstWarmAt == 0) {
                firstWarmAt = System.nanoTime();
                firstWarmMillis = (firstWarmAt - startedAt) / 1_000_000;
                Log.infof("Code validator serving: first GraalPy context warm in %d ms", firstWarmMillis);
            }
            if (initial && initialWarm.incrementAndGet() == settings.initialContexts()) {
                warmUpMillis = (System.nanoTime() - startedAt) / 1_000_000;
                if (state == State.STARTING) {
                    state = State.READY;
                }
                Log.infof(
                        "Code validator ready: %d GraalPy context(s) warm in %d ms (up to %d under load)",
                        settings.initialContexts(), warmUpMillis, settings.maxContexts());
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
     * keeps until asked to trim (about 40-120 MB measured). Once, after the initial contexts are warm; on a JVM without
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

    /** Whether the start-up warm-up is done: the initial contexts are warm (more may be created under load). */
    public boolean ready() {
        return state == State.READY;
    }

    /** Whether at least one context is warm: a check now waits only for a free context, not for the warm-up. */
    public boolean warm() {
        return ready.get() > 0 && (state == State.STARTING || state == State.READY);
    }

    public Status status() {
        return new Status(
                state,
                settings.maxContexts(),
                contexts.get(),
                ready.get(),
                settings.initialContexts(),
                firstWarmMillis,
                warmUpMillis,
                checks.get(),
                jobs.size(),
                error);
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
        if (current != null
                && !closeWithin(
                        () -> {
                            try {
                                current.close(true);
                            } catch (RuntimeException e) {
                                Log.debugf("Closing the validation engine: %s", e.getMessage());
                            }
                        },
                        ENGINE_CLOSE_WAIT)) {
            Log.warnf(
                    "The validation engine did not close within %d s; it is left to the process's exit",
                    ENGINE_CLOSE_WAIT.toSeconds());
        }
    }

    /**
     * Runs {@code close} on a daemon thread of its own and waits for it at most {@code limit}: whether it finished. A
     * GraalPy engine's close can wait for ever on a context's lock that a thread left behind holds; the service's
     * shutdown must not wait with it.
     */
    static boolean closeWithin(Runnable close, Duration limit) {
        Thread closer = new Thread(close, "validator-engine-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !closer.isAlive();
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
