package io.llmanalytics.upload;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.upload.parquet.ParquetTableReader;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.bson.Document;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet fast path's canonical copy is stored while the table is still profiled ({@link EarlyCopies}): the
 * session keeps exactly one canonical copy, the one its table uses; a copy whose table then takes the row-by-row way
 * is discarded, chunks included; an upload that fails after the copy was stored leaves nothing behind.
 */
@QuarkusTest
class EarlyCanonicalStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig config;

    @Inject
    GridFsFiles files;

    @TempDir
    Path work;

    private Path parquet(String name, String select) throws Exception {
        Path file = work.resolve(name);
        // the driver itself, not DriverManager: registering it from Quarkus' class loader would hide it from plain
        // tests
        try (Connection db = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement st = db.createStatement()) {
            st.execute("SET TimeZone='UTC'");
            st.execute("COPY (" + select + ") TO " + "'" + file + "'" + " (FORMAT parquet, ROW_GROUP_SIZE 1000)");
        }
        return file;
    }

    private long count(String collection, Document filter) {
        return client.getDatabase(config.database())
                .getCollection(GridFsFiles.BUCKET + "." + collection)
                .countDocuments(filter)
                .await()
                .atMost(WAIT);
    }

    private List<Document> filesOf(String session) {
        return client.getDatabase(config.database())
                .getCollection(GridFsFiles.BUCKET + ".files")
                .find(new Document("metadata.session", session))
                .collect()
                .asList()
                .await()
                .atMost(WAIT);
    }

    private String canonicalText(String session) throws Exception {
        List<Document> canonical = new ArrayList<>();
        for (Document f : filesOf(session)) {
            if ("canonical".equals(f.get("metadata", Document.class).getString("kind"))) {
                canonical.add(f);
            }
        }
        assertEquals(1, canonical.size(), "one canonical copy: " + canonical);
        Path copy = work.resolve("downloaded-" + session + ".csv");
        files.download(canonical.get(0).getObjectId("_id").toHexString(), copy)
                .await()
                .atMost(WAIT);
        return Files.readString(copy);
    }

    @Test
    void theCopyStoredDuringTheParseIsTheSessionsOnlyCanonicalCopy() throws Exception {
        Path file = parquet(
                "early.parquet",
                "SELECT i AS id, ['North','South','East','West'][(i % 4) + 1] AS region, i / 8.0 AS revenue"
                        + " FROM range(20000) t(i)");
        Response created = given().multiPart("file", file.toFile()).when().post("/api/session/create");
        assertEquals(201, created.statusCode(), created.asString());
        assertTrue(created.getHeader("Server-Timing").contains("store-canonical"), created.getHeader("Server-Timing"));
        String session = created.jsonPath().getString("session_id");

        assertEquals(2, filesOf(session).size(), "the original and one canonical copy");
        Path expected = work.resolve("expected.csv");
        new ParquetTableReader(new ProfileOptions(5, 1000, 10, 1_000_000L), new TableLimits(100, 100_000))
                .read(file, "early", expected);
        assertEquals(Files.readString(expected), canonicalText(session));
    }

    @Test
    void aCopyWhoseTableTakesTheRowByRowWayIsDiscarded() throws Exception {
        long chunksBefore = count("chunks", new Document());
        // a timestamp past datetime64[ns]'s range: the fast path writes its copy, then steps aside at the profile
        Path file = parquet(
                "far-future.parquet",
                "SELECT i AS id, TIMESTAMP '2300-01-01 00:00:00' + INTERVAL (i) HOUR AS due FROM range(3000) t(i)");
        List<Path> told = new ArrayList<>();
        Path out = work.resolve("local.csv");
        ParsedTable local = new ParquetTableReader(
                        new ProfileOptions(5, 1000, 10, 1_000_000L), new TableLimits(100, 100_000))
                .read(file, "far-future", out, (dataset, canonical) -> told.add(canonical));
        assertEquals(List.of(out), told, "the fast path told of its copy");
        assertNotEquals(out, local.canonical(), "the row-by-row copy is written beside the one told of");
        assertTrue(Files.readString(out).contains("2300-01-01 00:00:00"), "the copy told of is left as it was");

        Response created = given().multiPart("file", file.toFile()).when().post("/api/session/create");
        assertEquals(201, created.statusCode(), created.asString());
        String session = created.jsonPath().getString("session_id");
        assertEquals("object", created.jsonPath().getString("datasets[0].data_types.due"));
        assertEquals(2, filesOf(session).size(), "the original and the row-by-row copy only");
        assertEquals(Files.readString(local.canonical()), canonicalText(session));
        long kept = 0;
        for (Document f : filesOf(session)) {
            kept += count("chunks", new Document("files_id", f.getObjectId("_id")));
        }
        assertEquals(chunksBefore + kept, count("chunks", new Document()), "the discarded copy's chunks are gone");
    }

    @Test
    void anUploadThatFailsAfterItsCopyWasStoredLeavesNothing() throws Exception {
        long filesBefore = count("files", new Document());
        long chunksBefore = count("chunks", new Document());
        // an infinity: the fast path writes and tells of its copy, then steps aside; the row-by-row reader refuses it
        Path file = parquet(
                "infinite.parquet",
                "SELECT i AS id, CASE WHEN i = 2500 THEN 'inf'::DOUBLE ELSE i / 4.0 END AS ratio FROM range(3000) t(i)");
        Response refused = given().multiPart("file", file.toFile()).when().post("/api/session/create");
        assertEquals(400, refused.statusCode(), refused.asString());
        assertTrue(refused.jsonPath().getString("detail").contains("ratio"), refused.asString());
        assertEquals(filesBefore, count("files", new Document()), "no file left");
        assertEquals(chunksBefore, count("chunks", new Document()), "no chunk left");
    }
}
