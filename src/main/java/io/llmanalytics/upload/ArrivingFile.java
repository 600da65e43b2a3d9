package io.llmanalytics.upload;

import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An upload's file while its bytes arrive: the receiver writes them to {@link #path()} and says how far it has
 * written ({@link #arrived}), then that it is whole ({@link #complete}) or that the upload failed ({@link #fail}).
 * Readers read it from the start as it grows ({@link #open}): a read waits until bytes past it have been written,
 * and ends only once the file is whole, so a reader sees exactly the bytes the client sent, and a failed or stalled
 * upload ends every read with an {@link IOException}. Reads block: call them on a worker thread.
 */
public final class ArrivingFile {

    private final Path path;
    private final Duration stall;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final CompletableFuture<Long> whole = new CompletableFuture<>();
    private long written;
    private boolean complete;
    private IOException failure;

    /** A file arriving at {@code path}; a read that waits longer than {@code stall} for its next bytes fails. */
    public ArrivingFile(Path path, Duration stall) {
        this.path = path;
        this.stall = stall;
    }

    /** An upload already whole at {@code path}. */
    public static ArrivingFile whole(Path path, long size) {
        ArrivingFile file = new ArrivingFile(path, Duration.ZERO);
        file.arrived(size);
        file.complete();
        return file;
    }

    public Path path() {
        return path;
    }

    /** The receiver wrote {@code bytes} more to the file. */
    public void arrived(long bytes) {
        signal(() -> written += bytes);
    }

    /** The receiver wrote the last byte. */
    public void complete() {
        signal(() -> complete = true);
        whole.complete(written());
    }

    /** The upload failed (the client went away, the body was malformed...): reads end with {@code reason}. */
    public void fail(String reason) {
        IOException e = new IOException(reason);
        signal(() -> {
            if (!complete && failure == null) {
                failure = e;
            }
        });
        whole.completeExceptionally(e);
    }

    /** The file's size once whole. */
    public Uni<Long> received() {
        return Uni.createFrom().completionStage(whole);
    }

    /** Whether the last byte has been written. */
    public boolean isComplete() {
        lock.lock();
        try {
            return complete;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the file is whole (or fails, or stalls); its path then. */
    public Path awaitWhole() throws IOException {
        readableBeyond(Long.MAX_VALUE - 1);
        return path;
    }

    /** The file from its start, each read waiting for the bytes it needs. */
    public InputStream open() throws IOException {
        return Channels.newInputStream(channel());
    }

    /** {@link #open()} as a channel. */
    public ReadableByteChannel channel() throws IOException {
        FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
        return new ReadableByteChannel() {
            private long position;

            @Override
            public int read(ByteBuffer into) throws IOException {
                long end = readableBeyond(position);
                if (end < 0) {
                    return -1;
                }
                int room = (int) Math.min(into.remaining(), end - position);
                ByteBuffer window = into.slice().limit(room);
                int read = file.read(window, position);
                if (read > 0) {
                    into.position(into.position() + read);
                    position += read;
                }
                return read;
            }

            @Override
            public boolean isOpen() {
                return file.isOpen();
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    private long written() {
        lock.lock();
        try {
            return written;
        } finally {
            lock.unlock();
        }
    }

    /** How far the file is written once past {@code position}, or -1 when it is whole and ends there. */
    private long readableBeyond(long position) throws IOException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + stall.toNanos();
            long seen = written;
            while (written <= position && !complete && failure == null) {
                if (written != seen) { // bytes still arrive: the stall is counted from the last of them
                    seen = written;
                    deadline = System.nanoTime() + stall.toNanos();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no more of the upload arrived for "
                            + (stall.toMillis() < 1000 ? stall.toMillis() + " ms" : stall.toSeconds() + " s"));
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            if (failure != null) {
                throw failure;
            }
            return written > position ? written : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the upload arrived", e);
        } finally {
            lock.unlock();
        }
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
