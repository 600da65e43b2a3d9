package io.llmanalytics.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import mutiny.zero.flow.adapters.AdaptersToFlow;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;

/**
 * The embedded store through the driver, over the wire: documents stored as BSON read back as they were written, in a
 * store file that also holds documents the plain backend wrote (Java-serialised), across reopenings.
 */
class EmbeddedH2BackendTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    static <T> T one(Publisher<T> publisher) {
        return Uni.createFrom()
                .publisher(AdaptersToFlow.publisher(publisher))
                .await()
                .atMost(WAIT);
    }

    static <T> List<T> all(Publisher<T> publisher) {
        return Multi.createFrom()
                .publisher(AdaptersToFlow.publisher(publisher))
                .collect()
                .asList()
                .await()
                .atMost(WAIT);
    }

    /** Runs {@code body} against a server on {@code backend}, then closes both. */
    static void with(MongoBackend backend, Consumer<MongoCollection<Document>> body) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(
                "mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            body.accept(client.getDatabase("store").getCollection("chunks"));
        } finally {
            server.shutdownNow();
        }
    }

    static Document chunk(ObjectId file, int n, int size) {
        byte[] data = new byte[size];
        new Random(n).nextBytes(data);
        return new Document("files_id", file).append("n", n).append("data", new Binary(data));
    }

    static void assertChunk(Document expected, Document actual) {
        assertEquals(expected.get("files_id"), actual.get("files_id"));
        assertEquals(expected.get("n"), actual.get("n"));
        assertArrayEquals(
                expected.get("data", Binary.class).getData(),
                actual.get("data", Binary.class).getData());
    }

    @Test
    void documentsWrittenBeforeAndAfterReadBackAcrossReopenings() {
        Path file = dir.resolve("store.mv");
        ObjectId id = new ObjectId();
        Document old = chunk(id, 0, 300_000).append("note", "written by the plain backend");
        Document newer = chunk(id, 1, 1 << 20).append("when", new Date(1_700_000_000_123L));

        with(new H2Backend(MVStore.open(file.toString())), chunks -> one(chunks.insertOne(old)));
        with(H2Store.open(file), chunks -> {
            one(chunks.insertOne(newer));
            assertEquals(2, all(chunks.find()).size());
        });
        with(H2Store.open(file), chunks -> {
            List<Document> read = all(chunks.find(new Document("files_id", id)).sort(new Document("n", 1)));
            assertEquals(2, read.size());
            assertChunk(old, read.get(0));
            assertEquals("written by the plain backend", read.get(0).getString("note"));
            assertChunk(newer, read.get(1));
            assertEquals(newer.get("when"), read.get(1).get("when"));
            one(chunks.deleteOne(new Document("files_id", id).append("n", 0)));
            assertEquals(1L, one(chunks.countDocuments()));
        });
    }

    @Test
    void theStoresCollectionsHoldTheirDocumentsAsBson() {
        H2Backend backend = H2Store.open(dir.resolve("store.mv"));
        with(backend, chunks -> one(chunks.insertOne(chunk(new ObjectId(), 0, 10))));
        MVStore store = MVStore.open(dir.resolve("store.mv").toString());
        try {
            // reopened with H2's default types: the value of a document written as BSON starts with the BSON tag,
            // which H2's own type does not know
            assertThrows(
                    RuntimeException.class,
                    () -> store.openMap("databases.store.chunks").values().forEach(v -> {}));
        } finally {
            store.closeImmediately();
        }
    }
}
