package io.llmanalytics.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.StoredFile;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.upload.formats.FormatFixtures;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The steps after the parse (the canonical copies stored while their dictionaries are drafted, then the session saved)
 * leave nothing behind when one of them fails: the files already stored are deleted, chunks included, and the timings
 * still name the phases that ran.
 */
@QuarkusTest
class IntakeFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    SessionIntake intake;

    @Inject
    GridFsFiles files;

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig config;

    private long count(String collection, Document filter) {
        return client.getDatabase(config.database())
                .getCollection(GridFsFiles.BUCKET + "." + collection)
                .countDocuments(filter)
                .await()
                .atMost(WAIT);
    }

    private long storedParts(String id) {
        ObjectId oid = new ObjectId(id);
        return count("files", new Document("_id", oid)) + count("chunks", new Document("files_id", oid));
    }

    @Test
    void aCanonicalStoreThatFailsWhileTheDraftsRunDeletesTheStoredOriginal() throws IOException {
        Path work = Files.createTempDirectory("intake-failure-");
        Path upload = work.resolve("upload.csv");
        Files.writeString(upload, "date;quantity;revenue\n05.01.2024;2;600,0\n06.01.2024;1;150,5\n07.01.2024;3;1,5\n");
        ParsedUpload parsed = FormatFixtures.parser().parse(upload, "upload.csv", work);
        Path canonical = parsed.tables().get(0).canonical();
        assertNotNull(canonical, "a semicolon file gets a canonical copy");
        String id = "failure-" + System.nanoTime();
        StoredFile original = files.store(upload, "upload.csv", new Document("session", id).append("kind", "original"))
                .await()
                .atMost(WAIT);
        List<String> stored = Collections.synchronizedList(new ArrayList<>(List.of(original.id())));
        assertTrue(storedParts(original.id()) >= 2, "the original is stored with its chunk");
        // the canonical copy disappears before it is stored: its store fails while the drafts are made beside it
        Files.delete(canonical);
        IngestTimings timings = new IngestTimings();
        Uni<SessionDocument> built = intake.datasets(id, parsed, original, stored, upload, timings)
                .map(datasets -> SessionIntake.document(id, "upload.csv", null, parsed, original, datasets));
        assertThrows(
                RuntimeException.class,
                () -> intake.createSession(built, stored, timings).await().atMost(WAIT));
        assertEquals(0, storedParts(original.id()), "the stored original was deleted");
        assertTrue(
                timings.phases().containsKey(IngestPhase.STORE_CANONICAL),
                timings.phases().toString());
        assertTrue(
                timings.phases().containsKey(IngestPhase.DRAFTS),
                timings.phases().toString());
        SessionIntake.deleteTree(work);
    }

    @Test
    void aSessionSaveThatFailsAfterTheStoresDeletesEveryStoredFile() throws IOException {
        Path work = Files.createTempDirectory("intake-failure-");
        Path upload = work.resolve("upload.csv");
        Files.writeString(upload, "date;quantity;revenue\n05.01.2024;2;600,0\n06.01.2024;1;150,5\n07.01.2024;3;1,5\n");
        ParsedUpload parsed = FormatFixtures.parser().parse(upload, "upload.csv", work);
        String id = "failure-" + System.nanoTime();
        StoredFile original = files.store(upload, "upload.csv", new Document("session", id).append("kind", "original"))
                .await()
                .atMost(WAIT);
        List<String> stored = Collections.synchronizedList(new ArrayList<>(List.of(original.id())));
        IngestTimings timings = new IngestTimings();
        // everything is stored, then the step before the save fails
        Uni<SessionDocument> built = intake.datasets(id, parsed, original, stored, upload, timings)
                .chain(datasets ->
                        Uni.createFrom().<SessionDocument>failure(new IllegalStateException("save refused")));
        assertThrows(
                IllegalStateException.class,
                () -> intake.createSession(built, stored, timings).await().atMost(WAIT));
        assertEquals(2, stored.size(), "the original and the canonical copy were stored: " + stored);
        for (String file : stored) {
            assertEquals(0, storedParts(file), "stored file " + file + " was deleted");
        }
        SessionIntake.deleteTree(work);
    }
}
