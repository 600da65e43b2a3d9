package io.llmanalytics.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.MVMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's collections never hand out the documents their maps hold: mongo-java-server changes the
 * documents a query returned to update them, while H2's saving thread may be serialising the ones in the map.
 */
class EmbeddedCollectionCopiesTest {

    @TempDir
    Path dir;

    @Test
    void aQueryHandsOutCopiesAndAnUpdatePutsItsCopyInPlace() {
        H2Backend backend = H2Store.open(dir.resolve("store.mv"));
        try {
            MongoCollection<?> sessions = backend.resolveDatabase("store").createCollectionOrThrowIfExists("sessions");
            sessions.addDocument(new Document("_id", "s1").append("status", "new"));
            MVMap<Object, Document> held = backend.getMvStore().openMap("databases.store.sessions");

            Document found =
                    sessions.handleQuery(new Document("_id", "s1")).iterator().next();
            assertNotSame(held.get("s1"), found);
            found.put("status", "changed in a copy");
            assertEquals("new", held.get("s1").get("status"));

            Document byScan = sessions.handleQuery(new Document("status", "new"))
                    .iterator()
                    .next();
            assertNotSame(held.get("s1"), byScan);

            update(sessions, "s1", new Document("$set", new Document("status", "done")));
            assertEquals("done", held.get("s1").get("status"));
            assertEquals(1, sessions.count());
        } finally {
            backend.close();
        }
    }

    @Test
    void updatesWhileTheStoreSavesLeaveItOpenAndWhole() throws InterruptedException {
        // a large document updated over and over while the store saves it: had an update changed the instance the
        // saving thread serialises, the save would fail and close the store, and the next update would fail with it
        H2Backend backend = H2Store.open(dir.resolve("store.mv"));
        AtomicBoolean saving = new AtomicBoolean(true);
        Thread saver = new Thread(() -> {
            while (saving.get()) {
                backend.getMvStore().commit();
            }
        });
        try {
            MongoCollection<?> sessions = backend.resolveDatabase("store").createCollectionOrThrowIfExists("sessions");
            Document big = new Document("_id", "big");
            for (int i = 0; i < 5_000; i++) {
                big.append("field" + i, i);
            }
            sessions.addDocument(big);
            saver.start();
            for (int round = 0; round < 300; round++) {
                // a field added and one taken away: the document's map changes its structure, not only a value
                update(
                        sessions,
                        "big",
                        new Document("$set", new Document("added" + round, round).append("round", round))
                                .append("$unset", new Document("added" + (round - 1), "")));
            }
            saving.set(false);
            saver.join(Duration.ofSeconds(30).toMillis());
            assertFalse(backend.getMvStore().isClosed());
            Document read =
                    sessions.handleQuery(new Document("_id", "big")).iterator().next();
            assertEquals(299, read.get("round"));
            assertEquals(299, read.get("added299"));
            assertEquals(5_003, read.size());
        } finally {
            saving.set(false);
            backend.close();
        }
    }

    private static void update(MongoCollection<?> collection, String id, Document update) {
        collection.updateDocuments(
                new Document("_id", id), update, ArrayFilters.empty(), false, false, NoopOplog.get());
    }
}
