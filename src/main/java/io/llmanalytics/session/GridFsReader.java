package io.llmanalytics.session;

import com.mongodb.MongoGridFSException;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.Executor;
import mutiny.zero.flow.adapters.AdaptersToFlow;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.reactivestreams.Publisher;

/**
 * Reads and deletes GridFS files chunk by chunk, each chunk found by its whole key ({@code files_id}, {@code n}): the
 * key of the bucket's unique index, which every store serves from that index.
 *
 * <p>Why not the driver's bucket: its download is a cursor on {@code files_id} sorted by {@code n}, and its delete a
 * {@code deleteMany} on {@code files_id}. The embedded stand-in (mongo-java-server) serves an index only for a query
 * naming exactly its keys, so both read and deserialised every chunk of every stored file, and the download held the
 * file's chunks in memory to sort them: a download cost as much as the whole store, and with a few 100 MB sessions
 * stored, concurrent questions drove the 1 GiB heap into full collections ({@code bench/gc_soak.sh}, issue 20). Here a
 * download or delete touches only its own chunks, {@value #BATCH} at a time.
 *
 * <p>The driver hands each chunk over on its own thread: in the service, a Vert.x event loop. The bytes are written to
 * the file on {@code blocking}, never there.
 */
final class GridFsReader {

    static final int BATCH = 4;

    private final MongoCollection<Document> files;
    private final MongoCollection<Document> chunks;
    private final Executor blocking;

    GridFsReader(MongoDatabase database, String bucket, Executor blocking) {
        this.files = database.getCollection(bucket + ".files");
        this.chunks = database.getCollection(bucket + ".chunks");
        this.blocking = blocking;
    }

    /** Writes the file's bytes to {@code channel}, in order; fails if the file or one of its chunks is missing. */
    Uni<Void> copyTo(ObjectId id, FileChannel channel) {
        return file(id).chain(file -> {
            if (file == null) {
                return Uni.createFrom().failure(new MongoGridFSException("No file found with the id: " + id));
            }
            Layout layout = Layout.of(file);
            return Multi.createFrom()
                    .range(0, layout.count())
                    .group()
                    .intoLists()
                    .of(BATCH)
                    .onItem()
                    .transformToUniAndConcatenate(batch -> Uni.join()
                            .all(batch.stream().map(n -> chunk(id, n, layout)).toList())
                            .andFailFast())
                    .emitOn(blocking)
                    .onItem()
                    .invoke(data -> write(channel, data))
                    .onItem()
                    .ignoreAsUni();
        });
    }

    /**
     * Deletes the file and its chunks (nothing when it is not there). A file whose files document is missing (a write
     * cut short by a crash) has its chunks deleted by {@code files_id}, the slow way.
     */
    Uni<Void> delete(ObjectId id) {
        return file(id).chain(file -> {
            if (file == null) {
                return deleted(chunks.deleteMany(new Document("files_id", id)));
            }
            Layout layout = Layout.of(file);
            return deleted(files.deleteOne(new Document("_id", id)))
                    .chain(() -> Multi.createFrom()
                            .range(0, layout.count())
                            .onItem()
                            .transformToUni(n -> deleted(chunks.deleteOne(key(id, n))))
                            .merge(BATCH)
                            .onItem()
                            .ignoreAsUni());
        });
    }

    /** A file's length and chunk size, from its files document. */
    private record Layout(long length, int chunkSize) {
        static Layout of(Document file) {
            return new Layout(
                    file.get("length", Number.class).longValue(),
                    file.get("chunkSize", Number.class).intValue());
        }

        int count() {
            return Math.toIntExact((length + chunkSize - 1) / chunkSize);
        }

        int size(int n) {
            return (int) Math.min(chunkSize, length - (long) n * chunkSize);
        }
    }

    private Uni<Document> file(ObjectId id) {
        return Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(
                        files.find(new Document("_id", id)).first()));
    }

    private Uni<byte[]> chunk(ObjectId id, int n, Layout layout) {
        return Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(chunks.find(key(id, n)).first()))
                .map(chunk -> {
                    if (chunk == null) {
                        throw new MongoGridFSException(
                                "Could not find file chunk for files_id: " + id + " at chunk index " + n + ".");
                    }
                    byte[] data = chunk.get("data", Binary.class).getData();
                    if (data.length != layout.size(n)) {
                        throw new MongoGridFSException("Chunk " + n + " of files_id " + id + " has " + data.length
                                + " bytes; " + layout.size(n) + " were expected.");
                    }
                    return data;
                });
    }

    private static Document key(ObjectId id, int n) {
        return new Document("files_id", id).append("n", n);
    }

    private static void write(FileChannel channel, List<byte[]> data) {
        try {
            for (byte[] bytes : data) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Uni<Void> deleted(Publisher<DeleteResult> delete) {
        return Uni.createFrom().publisher(AdaptersToFlow.publisher(delete)).replaceWithVoid();
    }
}
