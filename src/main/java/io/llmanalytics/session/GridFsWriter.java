package io.llmanalytics.session;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mutiny.zero.flow.adapters.AdaptersToFlow;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;

/**
 * Writes a file to a GridFS bucket as the GridFS specification lays it out (one {@code chunks} document per
 * {@code chunkSize} bytes: {@code files_id}, {@code n}, {@code data}; then the {@code files} document), so that the
 * driver's bucket reads and deletes it like any other, with at most {@code inFlight} chunks of a file read and not
 * yet stored at a time.
 *
 * <p>Why not the driver's {@code uploadFromPublisher}: it inserts up to 256 chunks at once (Reactor's {@code flatMap}
 * default), asking its source for as many, so a file of up to 256 MiB is held on the heap while it is stored; three
 * concurrent 100 MB uploads ran a 1 GiB heap out of memory and stopped the service ({@code bench/gc_soak.sh}, issue
 * 20). Here a file costs {@code inFlight} chunks of heap, whatever its size. On a failure the chunks already stored
 * are deleted, as the driver does.
 */
final class GridFsWriter {

    private final MongoCollection<Document> files;
    private final MongoCollection<Document> chunks;
    /** What deletes a failed write's chunks and files document. */
    private final GridFsReader stored;

    private final Executor blocking;
    private final int chunkSize;
    private final int inFlight;
    private final Duration cleanupTimeout;
    /** The most chunks of one file read and not yet stored seen at once (what the tests check). */
    private final AtomicInteger peakInFlight = new AtomicInteger();

    private volatile boolean indexed;

    GridFsWriter(
            MongoDatabase database,
            String bucket,
            Executor blocking,
            int chunkSize,
            int inFlight,
            Duration cleanupTimeout) {
        this.cleanupTimeout = cleanupTimeout;
        this.files = database.getCollection(bucket + ".files");
        this.chunks = database.getCollection(bucket + ".chunks");
        this.stored = new GridFsReader(database, bucket, blocking);
        this.blocking = blocking;
        this.chunkSize = chunkSize;
        this.inFlight = inFlight;
    }

    /**
     * Stores {@code file}, hashing it on the way: its id, length and SHA-256. {@code bounds} (the store's timeout) is
     * applied before the clean-up, so that a write that times out deletes its chunks too.
     */
    Uni<StoredFile> write(
            Path file, String filename, Document metadata, Function<Uni<StoredFile>, Uni<StoredFile>> bounds) {
        ObjectId id = new ObjectId();
        MessageDigest digest = sha256();
        SentWrites sent = new SentWrites();
        return indexes()
                .chain(() -> Uni.createFrom().item(() -> size(file)).runSubscriptionOn(blocking))
                .chain(size -> writeChunks(file, id, size, digest, sent)
                        .chain(() -> sent.send(files.insertOne(filesDocument(id, size, filename, metadata))))
                        .replaceWith(() -> new StoredFile(
                                id.toHexString(), size, HexFormat.of().formatHex(digest.digest()))))
                .plug(bounds)
                .onFailure()
                .call(() -> delete(id, sent));
    }

    /**
     * Deletes what a failed write stored, as any stored file is deleted ({@link GridFsReader#delete}), once every write
     * it sent has ended (its files document too: a timeout may come after it was sent). Bounded by the clean-up
     * timeout: a store that does not answer keeps its orphans.
     */
    Uni<Void> delete(ObjectId id, SentWrites sent) {
        return sent.settled()
                .chain(() -> stored.delete(id))
                .ifNoItem()
                .after(cleanupTimeout)
                .fail()
                .onFailure()
                .recoverWithNull();
    }

    /**
     * A file stored as it is written ({@link GridFsStream}); {@code timeout} bounds each wait for the store and the
     * end of the store once the file is whole.
     */
    GridFsStream stream(String filename, Document metadata, Duration timeout) {
        return new GridFsStream(this, filename, metadata, inFlight, timeout);
    }

    int chunkSize() {
        return chunkSize;
    }

    MongoCollection<Document> files() {
        return files;
    }

    MongoCollection<Document> chunks() {
        return chunks;
    }

    int peakInFlight() {
        return peakInFlight.get();
    }

    private Uni<Void> writeChunks(Path file, ObjectId id, long size, MessageDigest digest, SentWrites sent) {
        int count = Math.toIntExact((size + chunkSize - 1) / chunkSize);
        AtomicInteger pending = new AtomicInteger();
        return Multi.createFrom()
                .resource(
                        () -> open(file),
                        channel -> Multi.createFrom()
                                .range(0, count)
                                // read in order (the hash needs it), one chunk at a time, on a worker thread
                                .onItem()
                                .transformToUniAndConcatenate(n -> Uni.createFrom()
                                        .item(() -> read(channel, n, size, digest))
                                        .runSubscriptionOn(blocking)
                                        .invoke(() ->
                                                peakInFlight.accumulateAndGet(pending.incrementAndGet(), Math::max)))
                                // merge asks for inFlight chunks at first, then for one more as each one is stored
                                .onItem()
                                .transformToUni(chunk -> sent.send(chunks.insertOne(chunk.document(id)))
                                        .invoke(pending::decrementAndGet))
                                .merge(inFlight))
                .withFinalizer(GridFsWriter::close)
                .onItem()
                .ignoreAsUni();
    }

    /** Chunk {@code n} of a file and its bytes. */
    private record Chunk(int n, byte[] data) {
        Document document(ObjectId id) {
            return new Document("files_id", id).append("n", n).append("data", new Binary(data));
        }
    }

    /** The bucket's indexes, as the driver makes them before a bucket's first upload (once per process here). */
    Uni<Void> indexes() {
        if (indexed) {
            return Uni.createFrom().voidItem();
        }
        Uni<String> byName = Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(
                        files.createIndex(new Document("filename", 1).append("uploadDate", 1))));
        Uni<String> byChunk = Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(chunks.createIndex(
                        new Document("files_id", 1).append("n", 1), new IndexOptions().unique(true))));
        return byName.chain(() -> byChunk).invoke(() -> indexed = true).replaceWithVoid();
    }

    Document filesDocument(ObjectId id, long size, String filename, Document metadata) {
        return new Document("_id", id)
                .append("length", size)
                .append("chunkSize", chunkSize)
                .append("uploadDate", new Date())
                .append("filename", filename)
                .append("metadata", metadata);
    }

    /** Chunk {@code n} of the file, {@code chunkSize} bytes but the last; fails if the file ended before its size. */
    private Chunk read(FileChannel channel, int n, long size, MessageDigest digest) {
        long at = (long) n * chunkSize;
        byte[] bytes = new byte[(int) Math.min(chunkSize, size - at)];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    throw new IOException(
                            "the file ended at " + (at + buffer.position()) + " of its " + size + " bytes");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        digest.update(bytes);
        return new Chunk(n, bytes);
    }

    private static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read only: nothing was lost
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
