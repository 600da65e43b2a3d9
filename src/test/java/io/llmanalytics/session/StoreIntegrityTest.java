package io.llmanalytics.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.testing.Uploads;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Nothing is left behind: no stored file without its session, whatever fails. */
@QuarkusTest
class StoreIntegrityTest {

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig config;

    @Inject
    GridFsFiles files;

    @Inject
    SessionStoreMaintenance maintenance;

    private long storedFiles() {
        return client.getDatabase(config.database())
                .getCollection(GridFsFiles.BUCKET + ".files")
                .countDocuments()
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    private long storedChunks() {
        return client.getDatabase(config.database())
                .getCollection(GridFsFiles.BUCKET + ".chunks")
                .countDocuments()
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    @Test
    void failedUploadsLeaveNoFiles() {
        long filesBefore = storedFiles();
        long chunksBefore = storedChunks();
        // the original is stored while the parse runs; the parse then fails near the end of the file
        StringBuilder csv = new StringBuilder("a,b\n");
        for (int i = 0; i < 50_000; i++) {
            csv.append(i).append(',').append(i * 2).append('\n');
        }
        csv.append("1,2,3\n");
        Uploads.upload("late-ragged.csv", csv.toString().getBytes()).then().statusCode(400);
        Uploads.upload("head.csv", "a,b\n".getBytes()).then().statusCode(400);
        assertEquals(filesBefore, storedFiles(), "no GridFS file survives a failed upload");
        assertEquals(chunksBefore, storedChunks(), "and no chunk");
    }

    @Test
    void deletingASessionDeletesItsFiles() {
        long before = storedFiles();
        String id = Uploads.sessionOf("semi.csv", "a;b\n1,5;2\n3,5;4\n");
        assertEquals(before + 2, storedFiles(), "the original and its canonical copy");
        io.restassured.RestAssured.given().delete("/api/session/" + id).then().statusCode(204);
        assertEquals(before, storedFiles());
    }

    @Test
    void orphanedFilesAreSweptAndReferencedOnesKept() throws Exception {
        String kept = Uploads.sessionOf("kept.csv", "x\n1\n");
        Path orphanFile = Files.createTempFile("orphan", ".csv");
        Files.writeString(orphanFile, "x\n1\n");
        StoredFile orphan = files.store(
                        orphanFile, "orphan.csv", new Document("session", "crashed-before-its-document"))
                .await()
                .atMost(Duration.ofSeconds(10));
        long before = storedFiles();
        int removed =
                maintenance.sweepOrphans(Instant.now().plusSeconds(1)).await().atMost(Duration.ofSeconds(10));
        assertTrue(removed >= 1);
        assertEquals(before - removed, storedFiles());
        io.restassured.RestAssured.given().get("/api/session/" + kept).then().statusCode(200);
        assertEquals(
                0,
                (int) maintenance
                        .sweepOrphans(Instant.now().minusSeconds(3600))
                        .await()
                        .atMost(Duration.ofSeconds(10)),
                "young files (uploads in progress) are left alone");
        Files.delete(orphanFile);
        assertTrue(orphan.length() > 0);
    }
}
