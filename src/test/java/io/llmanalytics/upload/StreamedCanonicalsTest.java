package io.llmanalytics.upload;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.StoredFile;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.upload.formats.FormatFixtures;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet's columnar route stores the canonical file in GridFS while it writes it ({@link StreamedCanonicals}): the
 * stored file is the local file byte for byte and stored once; a route that steps aside after its first chunks went
 * leaves none of them behind, and the slower route's file is stored instead; an ingest that fails after the file was
 * streamed deletes it with the others.
 */
@QuarkusTest
class StreamedCanonicalsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    SessionIntake intake;

    @Inject
    GridFsFiles files;

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig config;

    @TempDir
    Path work;

    private long count(String collection, Document filter) {
        return client.getDatabase(config.database())
                .getCollection(GridFsFiles.BUCKET + "." + collection)
                .countDocuments(filter)
                .await()
                .atMost(WAIT);
    }

    /** Canonical files of {@code session} in GridFS. */
    private long canonicals(String session) {
        return count("files", new Document("metadata.session", session).append("metadata.kind", "canonical"));
    }

    private Path parquet(String select) throws Exception {
        Path file = work.resolve("upload.parquet");
        try (Connection db = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement st = db.createStatement()) {
            st.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
        }
        return file;
    }

    private ParsedUpload parse(Path file, StreamedCanonicals streamed) throws Exception {
        Path dir = Files.createDirectories(work.resolve("parse-" + System.nanoTime()));
        return FormatFixtures.parser()
                .parse(ArrivingFile.whole(file, Files.size(file)), "upload.parquet", null, dir, streamed);
    }

    private StoredFile original(String session, Path file) {
        return files.store(file, "upload.parquet", new Document("session", session).append("kind", "original"))
                .await()
                .atMost(WAIT);
    }

    private byte[] download(String id) throws Exception {
        Path target = work.resolve("download-" + id);
        files.download(id, target).await().atMost(WAIT);
        return Files.readAllBytes(target);
    }

    /** About 6 MB of canonical CSV: several chunks are streamed before the pass ends. */
    private static final String TABLE = """
            SELECT i AS id, ['north', 'south', 'east'][i % 3 + 1] AS region, (i % 1000)::DOUBLE / 8 AS amount,
              DATE '2024-01-01' + (i % 365)::INTEGER AS day
            FROM range(200000) t(i)""";

    @Test
    void theStreamedFileIsTheCanonicalFileAndIsStoredOnce() throws Exception {
        String session = "streamed-" + System.nanoTime();
        Path file = parquet(TABLE);
        StreamedCanonicals streamed = new StreamedCanonicals(files, session);
        ParsedUpload parsed = parse(file, streamed);
        Path canonical = parsed.tables().get(0).canonical();
        assertTrue(streamed.stored(canonical).isPresent(), "the columnar route streamed the file");
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        List<DatasetDocument> datasets = intake.datasets(
                        session, parsed, original(session, file), stored, file, new IngestTimings(), streamed)
                .await()
                .atMost(WAIT);
        byte[] local = Files.readAllBytes(canonical);
        assertArrayEquals(local, download(datasets.get(0).fileId()));
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(local)),
                datasets.get(0).contentHash());
        assertEquals(1, canonicals(session), "stored once, not again after the parse");
        assertEquals(List.of(datasets.get(0).fileId()), stored);
    }

    @Test
    void aRouteThatStepsAsideAfterStreamingLeavesNothingBehind() throws Exception {
        String session = "aside-" + System.nanoTime();
        // an infinity in the last row: the columnar route has streamed chunks when it meets it, and steps aside; the
        // slower routes refuse the file, naming the row
        Path file = parquet("SELECT i AS id, CASE WHEN i = 199999 THEN 'inf'::DOUBLE ELSE i / 4 END AS x,"
                + " 'some text to make the rows longer' AS t FROM range(200000) t(i)");
        long chunksBefore = count("chunks", new Document());
        StreamedCanonicals streamed = new StreamedCanonicals(files, session);
        ProblemException refused = assertThrows(ProblemException.class, () -> parse(file, streamed));
        assertTrue(refused.getMessage().contains("200000"), refused.getMessage());
        assertTrue(streamed.stored(work.resolve("dataset-0.csv")).isEmpty());
        // what the columnar route sent is deleted once its writes have ended
        await().atMost(WAIT).until(() -> canonicals(session) == 0 && count("chunks", new Document()) == chunksBefore);
    }

    @Test
    void anIngestThatFailsAfterTheFileWasStreamedDeletesIt() throws Exception {
        String session = "failed-" + System.nanoTime();
        Path file = parquet(TABLE);
        StreamedCanonicals streamed = new StreamedCanonicals(files, session);
        ParsedUpload parsed = parse(file, streamed);
        assertTrue(streamed.stored(parsed.tables().get(0).canonical()).isPresent());
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        // the file was streamed whole, then a step before its dataset fails: its store was never asked for
        Uni<SessionDocument> built = Uni.createFrom()
                .<SessionDocument>failure(new IllegalStateException("the original's store failed"))
                .onFailure()
                .call(() -> streamed.settle(stored));
        assertThrows(
                IllegalStateException.class,
                () -> intake.createSession(built, stored, new IngestTimings())
                        .await()
                        .atMost(WAIT));
        assertEquals(1, stored.size(), stored.toString());
        assertEquals(0, canonicals(session), "the streamed file was deleted");
        assertEquals(0, count("chunks", new Document("files_id", new ObjectId(stored.get(0)))), "and its chunks");
    }
}
