package io.llmanalytics.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.mongodb.reactivestreams.client.gridfs.GridFSBuckets;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mutiny.zero.flow.adapters.AdaptersToFlow;
import mutiny.zero.flow.adapters.AdaptersToReactiveStreams;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by {@link GridFsWriter} are GridFS files the driver's bucket reads back byte for byte, written with at
 * most the configured number of chunk inserts in flight (counted on the wire, by a command listener), and a write
 * that fails part-way leaves no chunk behind. {@link GridFsReader} reads files, the driver's own included, by whole
 * chunk keys only, and deletes only the file's own chunks.
 */
class GridFsChunksTest {

    static final int CHUNK = 64 * 1024;
    static final int IN_FLIGHT = 3;
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    MongoServer server;
    MongoClient client;
    MongoDatabase database;
    final AtomicInteger inserting = new AtomicInteger();
    final AtomicInteger peakInserting = new AtomicInteger();
    final AtomicInteger chunkInserts = new AtomicInteger();
    /** The keys of every find on the chunks collection. */
    final List<Set<String>> chunkFindKeys = new CopyOnWriteArrayList<>();
    /** Counted down when a delete of chunks has been applied. */
    final CountDownLatch deleted = new CountDownLatch(1);
    /** Run when a chunk insert is sent (the failure test truncates the file there). */
    volatile Runnable onChunkInsert = () -> {};

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(
                        "mongodb://127.0.0.1:" + server.getLocalAddress().getPort()))
                .addCommandListener(listener())
                .build());
        database = client.getDatabase("test");
    }

    /**
     * Counts the chunk inserts on the wire. A proxy, not a class of this test: Quarkus makes every implementation of
     * {@link CommandListener} it finds a bean of the application the other tests start.
     */
    CommandListener listener() {
        return (CommandListener) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CommandListener.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "commandStarted" -> started((CommandStartedEvent) args[0]);
                        case "commandSucceeded" -> ended(((CommandSucceededEvent) args[0]).getCommandName());
                        case "commandFailed" -> ended(((CommandFailedEvent) args[0]).getCommandName());
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "toString" -> {
                            return "chunk insert counter";
                        }
                        default -> {
                            // no other method
                        }
                    }
                    return null;
                });
    }

    void started(CommandStartedEvent event) {
        if (event.getCommandName().equals("find")
                && event.getCommand().getString("find").getValue().equals("datasets.chunks")) {
            // copied now: the event's command reads the driver's buffer, which is reused once the listener returns
            chunkFindKeys.add(
                    Set.copyOf(event.getCommand().getDocument("filter").keySet()));
        }
        if (event.getCommandName().equals("insert")
                && event.getCommand().getString("insert").getValue().equals("datasets.chunks")) {
            peakInserting.accumulateAndGet(inserting.incrementAndGet(), Math::max);
            chunkInserts.incrementAndGet();
            onChunkInsert.run();
        }
    }

    void ended(String command) {
        if (command.equals("insert")) {
            inserting.updateAndGet(n -> Math.max(0, n - 1));
        }
        if (command.equals("delete")) {
            deleted.countDown();
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdown();
    }

    GridFsWriter writer() {
        return new GridFsWriter(
                database, "datasets", Infrastructure.getDefaultWorkerPool(), CHUNK, IN_FLIGHT, Duration.ofSeconds(10));
    }

    static Function<Uni<StoredFile>, Uni<StoredFile>> noBounds() {
        return Function.identity();
    }

    Path randomFile(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    long count(String collection, Document filter) {
        return Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(
                        database.getCollection(collection).countDocuments(filter)))
                .await()
                .atMost(WAIT);
    }

    byte[] readBack(String id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Multi.createFrom()
                .publisher(AdaptersToFlow.publisher(
                        GridFSBuckets.create(database, "datasets").downloadToPublisher(new ObjectId(id))))
                .subscribe()
                .asStream()
                .forEach(buffer -> {
                    byte[] part = new byte[buffer.remaining()];
                    buffer.get(part);
                    out.writeBytes(part);
                });
        return out.toByteArray();
    }

    @Test
    void aFileIsStoredAsGridFsChunksTheBucketReadsBack() throws Exception {
        Path file = randomFile("data.csv", 40 * CHUNK + 123);
        Document metadata = new Document("session", "s1").append("kind", "original");

        StoredFile stored =
                writer().write(file, "data.csv", metadata, noBounds()).await().atMost(WAIT);

        byte[] bytes = Files.readAllBytes(file);
        assertEquals(bytes.length, stored.length());
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), stored.sha256());
        assertArrayEquals(bytes, readBack(stored.id()), "the driver's bucket reads the file back byte for byte");
        assertEquals(41, count("datasets.chunks", new Document("files_id", new ObjectId(stored.id()))));
        Document filesDocument = Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(database.getCollection("datasets.files")
                        .find(new Document("_id", new ObjectId(stored.id())))
                        .first()))
                .await()
                .atMost(WAIT);
        assertEquals("data.csv", filesDocument.getString("filename"));
        assertEquals(CHUNK, filesDocument.getInteger("chunkSize"));
        assertEquals(bytes.length, filesDocument.getLong("length"));
        assertEquals(metadata, filesDocument.get("metadata", Document.class));
    }

    @Test
    void atMostTheConfiguredChunksAreInFlightWhateverTheFileSize() throws Exception {
        Path file = randomFile("big.csv", 200 * CHUNK);
        GridFsWriter writer = writer();

        writer.write(file, "big.csv", new Document(), noBounds()).await().atMost(WAIT);

        assertEquals(200, chunkInserts.get());
        assertTrue(
                peakInserting.get() <= IN_FLIGHT,
                "chunk inserts in flight on the wire: " + peakInserting.get() + ", at most " + IN_FLIGHT);
        assertTrue(
                writer.peakInFlight() <= IN_FLIGHT,
                "chunks read and not yet stored: " + writer.peakInFlight() + ", at most " + IN_FLIGHT);
    }

    @Test
    void emptyFilesAreStoredWithoutChunks() throws Exception {
        Path file = Files.write(dir.resolve("empty.csv"), new byte[0]);

        StoredFile stored = writer().write(file, "empty.csv", new Document(), noBounds())
                .await()
                .atMost(WAIT);

        assertEquals(0, stored.length());
        assertEquals(0, readBack(stored.id()).length);
    }

    @Test
    void aWriteThatFailsPartWayLeavesNoChunkBehind() throws Exception {
        Path file = randomFile("shrinking.csv", 50 * CHUNK);
        // the file is cut short while its third chunk is sent: a later chunk cannot be read
        onChunkInsert = () -> {
            if (chunkInserts.get() == 3) {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.setLength(CHUNK);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        Exception failure = assertThrows(
                Exception.class,
                () -> writer().write(file, "shrinking.csv", new Document(), noBounds())
                        .await()
                        .atMost(WAIT));

        assertTrue(String.valueOf(failure.getMessage()).contains("the file ended"), failure.toString());
        assertEquals(0, count("datasets.chunks", new Document()), "the chunks already stored are deleted");
        assertEquals(0, count("datasets.files", new Document()));
    }

    static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aWriteThatTimesOutLeavesNoChunkBehindNotEvenOneSentBeforeTheTimeout() throws Exception {
        Path file = randomFile("slow.csv", 30 * CHUNK);
        // the write times out while its second chunk is being sent (as soon as it is: a timer would race a loaded
        // machine's first chunk), and that chunk lands only after the timeout
        CompletableFuture<Void> secondSent = new CompletableFuture<>();
        CountDownLatch timedOut = new CountDownLatch(1);
        Function<Uni<StoredFile>, Uni<StoredFile>> bounds = uni -> Uni.combine()
                .any()
                .of(
                        uni,
                        Uni.createFrom()
                                .completionStage(secondSent)
                                .chain(() -> Uni.createFrom()
                                        .<StoredFile>failure(new TimeoutException("the second chunk is being sent"))))
                .onFailure()
                .invoke(timedOut::countDown);
        // held until the clean-up deletes, or a second: a clean-up that does not wait for it deletes first
        onChunkInsert = () -> {
            if (chunkInserts.get() == 2) {
                secondSent.complete(null);
                awaitQuietly(timedOut, 30);
                awaitQuietly(deleted, 1);
            }
        };

        assertThrows(
                Exception.class,
                () -> writer().write(file, "slow.csv", new Document(), bounds)
                        .await()
                        .atMost(WAIT));

        assertTrue(chunkInserts.get() >= 2, "chunks were sent before the timeout: " + chunkInserts.get());
        assertEquals(0, count("datasets.chunks", new Document()), "a timed-out write deletes its chunks");
        assertEquals(0, count("datasets.files", new Document()));
    }

    GridFsReader reader() {
        return new GridFsReader(database, "datasets", Infrastructure.getDefaultWorkerPool());
    }

    byte[] copied(String id) throws IOException {
        Path target = dir.resolve("copy-" + id);
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            reader().copyTo(new ObjectId(id), channel).await().atMost(WAIT);
        }
        return Files.readAllBytes(target);
    }

    @Test
    void aDownloadWritesTheFileOnTheBlockingExecutorOnly() throws Exception {
        Path source = randomFile("blocking.csv", 9 * CHUNK + 5);
        StoredFile stored = writer().write(source, "blocking.csv", new Document(), noBounds())
                .await()
                .atMost(WAIT);
        ExecutorService blocking = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-blocking"));
        Path target = dir.resolve("copy-blocking");
        Set<String> writers = ConcurrentHashMap.newKeySet();
        try (FileChannel channel = new ThreadRecordingChannel(
                FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE), writers)) {
            new GridFsReader(database, "datasets", blocking)
                    .copyTo(new ObjectId(stored.id()), channel)
                    .await()
                    .atMost(WAIT);
        } finally {
            blocking.shutdown();
        }
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(target));
        assertEquals(Set.of("test-blocking"), writers, "the threads that wrote to the file");
    }

    @Test
    void filesAreReadBackByWholeChunkKeysOnly() throws Exception {
        Path one = randomFile("one.csv", 9 * CHUNK + 7);
        Path two = randomFile("two.csv", 3 * CHUNK);
        StoredFile first = writer().write(one, "one.csv", new Document(), noBounds())
                .await()
                .atMost(WAIT);
        writer().write(two, "two.csv", new Document(), noBounds()).await().atMost(WAIT);
        chunkFindKeys.clear();

        assertArrayEquals(Files.readAllBytes(one), copied(first.id()));

        assertEquals(10, chunkFindKeys.size(), "one find per chunk of the file");
        assertTrue(
                chunkFindKeys.stream().allMatch(Set.of("files_id", "n")::equals),
                "every find names the unique index's keys: " + chunkFindKeys);
    }

    @Test
    void filesTheDriverWroteAreReadBack() throws Exception {
        byte[] bytes = Files.readAllBytes(randomFile("driver.csv", 5 * CHUNK + 99));
        ObjectId id = Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(GridFSBuckets.create(database, "datasets")
                        .uploadFromPublisher(
                                "driver.csv",
                                AdaptersToReactiveStreams.publisher(
                                        Multi.createFrom().item(ByteBuffer.wrap(bytes))),
                                new GridFSUploadOptions().chunkSizeBytes(CHUNK))))
                .await()
                .atMost(WAIT);

        assertArrayEquals(bytes, copied(id.toHexString()));
    }

    @Test
    void aMissingChunkFailsTheCopy() throws Exception {
        Path file = randomFile("holed.csv", 6 * CHUNK);
        StoredFile stored = writer().write(file, "holed.csv", new Document(), noBounds())
                .await()
                .atMost(WAIT);
        Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(database.getCollection("datasets.chunks")
                        .deleteOne(new Document("files_id", new ObjectId(stored.id())).append("n", 4))))
                .await()
                .atMost(WAIT);

        Exception failure = assertThrows(Exception.class, () -> copied(stored.id()));

        assertTrue(String.valueOf(failure.getMessage()).contains("at chunk index 4"), failure.toString());
    }

    @Test
    void aDeleteRemovesTheFileAndOnlyItsChunks() throws Exception {
        StoredFile gone = writer().write(randomFile("gone.csv", 7 * CHUNK + 1), "gone.csv", new Document(), noBounds())
                .await()
                .atMost(WAIT);
        Path keptFile = randomFile("kept.csv", 4 * CHUNK);
        StoredFile kept = writer().write(keptFile, "kept.csv", new Document(), noBounds())
                .await()
                .atMost(WAIT);

        reader().delete(new ObjectId(gone.id())).await().atMost(WAIT);
        reader().delete(new ObjectId()).await().atMost(WAIT);

        assertEquals(0, count("datasets.chunks", new Document("files_id", new ObjectId(gone.id()))));
        assertEquals(0, count("datasets.files", new Document("_id", new ObjectId(gone.id()))));
        assertArrayEquals(Files.readAllBytes(keptFile), copied(kept.id()), "the other file is whole");
    }

    @Test
    void chunksWithoutTheirFilesDocumentAreDeletedToo() throws Exception {
        StoredFile orphan = writer().write(
                        randomFile("orphan.csv", 3 * CHUNK), "orphan.csv", new Document(), noBounds())
                .await()
                .atMost(WAIT);
        Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(database.getCollection("datasets.files")
                        .deleteOne(new Document("_id", new ObjectId(orphan.id())))))
                .await()
                .atMost(WAIT);

        reader().delete(new ObjectId(orphan.id())).await().atMost(WAIT);

        assertEquals(0, count("datasets.chunks", new Document()));
    }

    /** A file channel that records the name of every thread that writes to it. */
    static final class ThreadRecordingChannel extends FileChannel {
        private final FileChannel file;
        private final Set<String> writers;

        ThreadRecordingChannel(FileChannel file, Set<String> writers) {
            this.file = file;
            this.writers = writers;
        }

        private void wrote() {
            writers.add(Thread.currentThread().getName());
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            wrote();
            return file.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            wrote();
            return file.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            wrote();
            return file.write(src, position);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            wrote();
            return file.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return file.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            file.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
