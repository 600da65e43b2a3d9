package io.llmanalytics.session;

import io.llmanalytics.store.StoreCalls;
import io.smallrye.mutiny.Uni;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;

/**
 * A file stored in GridFS while it is written: each chunk is sent as soon as its bytes have come ({@link #write}, in
 * order, on one thread at a time), at most the writer's {@code inFlight} unsent at once (a write waits for the store,
 * at most the store's timeout); the {@code files} document follows once the file is {@link #complete()} and every
 * chunk is stored. A file {@link #abandon()}ed, or whose store failed, is deleted, chunks and all, once every write
 * sent has ended ({@link #stored()} fails). The hash and length are those of the bytes written.
 */
public final class GridFsStream {

    private final GridFsWriter writer;
    private final ObjectId id = new ObjectId();
    private final String filename;
    private final Document metadata;
    private final Duration timeout;
    private final SentWrites sent = new SentWrites();
    private final MessageDigest digest = GridFsWriter.sha256();
    private final Semaphore unsent;
    /** Completed by {@link #complete()} or {@link #abandon()}. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private final Uni<StoredFile> stored;
    private byte[] chunk;
    private int filled;
    private int next;
    private long length;
    private volatile boolean completed;
    private volatile Throwable failure;

    GridFsStream(GridFsWriter writer, String filename, Document metadata, int inFlight, Duration timeout) {
        this.writer = writer;
        this.filename = filename;
        this.metadata = metadata;
        this.timeout = timeout;
        this.unsent = new Semaphore(inFlight);
        this.chunk = new byte[writer.chunkSize()];
        this.stored = Uni.createFrom()
                .completionStage(ended)
                .chain(sent::settled)
                .chain(() -> failure != null ? Uni.createFrom().failure(failure) : writer.indexes())
                .chain(() -> sent.send(writer.files().insertOne(writer.filesDocument(id, length, filename, metadata))))
                .replaceWith(() ->
                        new StoredFile(id.toHexString(), length, HexFormat.of().formatHex(digest.digest())))
                .plug(StoreCalls.within(timeout))
                .onFailure()
                .call(() -> writer.delete(id, sent))
                .memoize()
                .indefinitely();
    }

    /** The next {@code length} bytes of the file; blocks while the store is behind. */
    public void write(byte[] bytes, int from, int length) throws InterruptedIOException {
        int at = from;
        int end = from + length;
        while (at < end) {
            int n = Math.min(end - at, chunk.length - filled);
            System.arraycopy(bytes, at, chunk, filled, n);
            filled += n;
            at += n;
            if (filled == chunk.length) {
                send(chunk);
                chunk = new byte[chunk.length];
                filled = 0;
            }
        }
    }

    private void send(byte[] data) throws InterruptedIOException {
        if (failure != null) {
            return; // the file is lost: stored() reports why
        }
        digest.update(data);
        length += data.length;
        try {
            if (!unsent.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                failure = new TimeoutException("the store did not take a chunk of " + filename + " within " + timeout);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + filename + " was stored");
        }
        Document doc = new Document("files_id", id).append("n", next++).append("data", new Binary(data));
        sent.send(writer.chunks().insertOne(doc)).subscribe().with(ok -> unsent.release(), e -> {
            failure = e;
            unsent.release();
        });
    }

    /** The file is whole: its last chunk is sent, and {@link #stored()} completes once everything is stored. */
    public void complete() throws InterruptedIOException {
        if (filled > 0) {
            send(Arrays.copyOf(chunk, filled));
            filled = 0;
        }
        completed = true;
        ended.complete(null);
    }

    /** The file will not be completed: what was sent of it is deleted. */
    public void abandon() {
        failure = new CancellationException(filename + " was abandoned before it was whole");
        ended.complete(null);
    }

    /** Whether the file was completed (its store may still be running, or have failed). */
    public boolean completed() {
        return completed;
    }

    /**
     * The stored file, once it is complete and stored; a failure (the file abandoned, a chunk refused, a timeout) once
     * what was stored of it is deleted. Subscribed any number of times, it runs once.
     */
    public Uni<StoredFile> stored() {
        return stored;
    }
}
