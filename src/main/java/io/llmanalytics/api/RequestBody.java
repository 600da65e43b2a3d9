package io.llmanalytics.api;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A request's body as a blocking stream for a worker thread, handed over from the event loop in batches.
 *
 * <p>Quarkus' {@code VertxInputStream} hands over one network buffer (up to 64 KiB) at a time: for each one the event
 * loop wakes the reading thread, and the reading thread asks the event loop for the next ({@code fetch(1)}), which wakes
 * the event loop's selector. A 100 MB upload makes about 1,500 such round trips, often contended on the connection's
 * monitor. Here the body flows: the event loop queues what arrives and wakes the reader only once a batch has gathered
 * ({@link #BATCH_BYTES}), or {@link #LINGER} after the first buffer, or at the end; the request is paused only when the
 * reader falls {@link #PAUSE_BYTES} behind, and resumed when it takes the queue.
 *
 * <p>Like Quarkus' stream it answers a client's {@code Expect: 100-continue} at the first read, and gives up after
 * {@code stall} without a byte (the connection is closed). Unlike it, closing the stream early does not read the rest of
 * the body on this thread: the rest is dropped as it arrives, so that the answer already sent reaches the client. The
 * size limit is not checked here: the upload limits refuse a body over it, and the ingest a file over it.
 */
final class RequestBody extends InputStream {

    /** Bytes gathered before the reader is woken. */
    static final int BATCH_BYTES = 1 << 20;
    /** Bytes queued for the reader at which the request is paused. */
    static final int PAUSE_BYTES = 4 << 20;
    /** How long the reader waits for a batch to gather once the first of it has arrived. */
    static final Duration LINGER = Duration.ofMillis(5);

    private final HttpServerRequest request;
    private final long stallNanos;
    private final Object lock = new Object();

    // shared with the event loop, under lock
    private ArrayDeque<Buffer> arrived = new ArrayDeque<>();
    private long arrivedBytes;
    private boolean ended;
    private IOException failure;
    private boolean waiting;
    private boolean paused;
    private boolean dropping;

    // the reader's own
    private ArrayDeque<Buffer> batch = new ArrayDeque<>();
    private Buffer current;
    private int position;
    private boolean continueToSend;
    private boolean closed;
    private int batches;
    private final byte[] one = new byte[1];

    /**
     * Takes over the request's body: to be called on the thread that will read it, while the request is paused (as the
     * route leaves it), so that nothing of the body has been handed to anyone else.
     */
    RequestBody(HttpServerRequest request, Duration stall) {
        this.request = request;
        this.stallNanos = stall.toNanos();
        this.continueToSend = "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
        if (request.isEnded()) {
            ended = true;
            return;
        }
        if (request.response().closed()) {
            failure = new IOException("The connection was closed before the body was read");
            return;
        }
        request.handler(this::arrive);
        request.endHandler(end -> end());
        request.exceptionHandler(this::fail);
        request.resume();
    }

    /** On the event loop: a buffer of the body. */
    private void arrive(Buffer buffer) {
        if (buffer.length() == 0) {
            if (request.version() == HttpVersion.HTTP_2) {
                end(); // as Quarkus' own stream reads it: HTTP/2's empty last frame
            }
            return;
        }
        synchronized (lock) {
            if (dropping) {
                return;
            }
            arrived.add(buffer);
            arrivedBytes += buffer.length();
            if (waiting && (arrived.size() == 1 || arrivedBytes >= BATCH_BYTES)) {
                waiting = false; // one wake-up per wait
                lock.notifyAll();
            }
            if (!paused && arrivedBytes >= PAUSE_BYTES) {
                // under the lock, so that the reader's resume cannot come before it: a resume that came first would be
                // lost, and the upload would stall (the reader's resume is scheduled on this loop, it never calls back)
                paused = true;
                request.pause();
            }
        }
    }

    private void end() {
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
    }

    private void fail(Throwable cause) {
        abort(cause instanceof IOException io ? io : new IOException(cause));
    }

    /**
     * Fails the read under way, and any after it, with {@code cause}: for the route once the request has been answered
     * (a 413, a refused file) or the connection lost, so that the reader stops at once rather than after the stall.
     */
    void abort(IOException cause) {
        synchronized (lock) {
            if (failure == null) {
                failure = cause;
            }
            lock.notifyAll();
        }
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (closed) {
            throw new IOException("Stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        if (!readable() && !take()) {
            return -1;
        }
        int copied = 0;
        while (copied < length && readable()) {
            int count = Math.min(length - copied, current.length() - position);
            current.getBytes(position, position + count, into, offset + copied);
            position += count;
            copied += count;
        }
        return copied;
    }

    /** Batches taken from the event loop so far. */
    int batches() {
        return batches;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length() - position;
    }

    /** Whether a byte can be read without waiting: the current buffer has one, or the batch has another buffer. */
    private boolean readable() {
        while (current == null || position == current.length()) {
            current = batch.poll();
            position = 0;
            if (current == null) {
                return false;
            }
        }
        return true;
    }

    /** Waits for the next batch and takes it; false at the body's end. */
    private boolean take() throws IOException {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("A request body is read on a worker thread, not on the event loop");
        }
        if (continueToSend) {
            continueToSend = false;
            request.response().writeContinue();
        }
        boolean resume;
        synchronized (lock) {
            long now = System.nanoTime();
            long stallAt = now + stallNanos;
            long lingerUntil = 0;
            while (true) {
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                boolean empty = arrived.isEmpty();
                if (empty && ended) {
                    return false;
                }
                if (!empty && (ended || arrivedBytes >= BATCH_BYTES || lingerUntil != 0 && now - lingerUntil >= 0)) {
                    break;
                }
                if (empty && now - stallAt >= 0) {
                    failure = new IOException(
                            "Read timed out: nothing of the body arrived for " + stallNanos / 1_000_000 + " ms");
                    request.connection().close();
                    throw failure;
                }
                if (!empty && lingerUntil == 0) {
                    lingerUntil = now + LINGER.toNanos();
                }
                await(empty ? stallAt - now : lingerUntil - now);
                now = System.nanoTime();
            }
            batches++;
            ArrayDeque<Buffer> taken = arrived;
            arrived = batch;
            batch = taken;
            arrivedBytes = 0;
            resume = paused;
            paused = false;
        }
        if (resume) {
            request.resume();
        }
        return true;
    }

    /** Waits on the lock, which the caller holds, until notified or {@code nanos} have passed. */
    private void await(long nanos) throws InterruptedIOException {
        waiting = true;
        try {
            TimeUnit.NANOSECONDS.timedWait(lock, nanos);
        } catch (InterruptedException e) {
            throw new InterruptedIOException("Interrupted while waiting for the request body");
        } finally {
            waiting = false;
        }
    }

    /**
     * Ends the reading. What is left of the body is dropped as it arrives (on the event loop; this thread does not wait
     * for it), unless the request has ended or failed already.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        batch.clear();
        current = null;
        boolean resume;
        synchronized (lock) {
            dropping = true;
            arrived.clear();
            arrivedBytes = 0;
            resume = !ended && failure == null;
            paused = false;
        }
        if (resume) {
            request.resume();
        }
    }
}
