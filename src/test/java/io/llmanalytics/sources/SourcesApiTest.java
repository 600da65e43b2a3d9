package io.llmanalytics.sources;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.testing.OwnJvm;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The source endpoints over HTTP against real PostgreSQL servers ({@link SourceServersResource}): listing without
 * secrets, tables, sessions and datasets from tables and queries, analysis of an imported dataset checked against
 * pandas, refresh, every error status, a server stopped mid-import and the stored-bytes quota; after every failure
 * nothing is stored and no work file is left.
 */
@QuarkusTest
@OwnJvm
@TestProfile(SourcesProfile.class)
class SourcesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @SourceServers.Inject
    SourceServers servers;

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig store;

    private static Response post(String path, String body) {
        return given().contentType("application/json").body(body).post(path);
    }

    private static String request(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String collection) {
        return client.getDatabase(store.database())
                .getCollection(collection)
                .countDocuments()
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    /** Sessions, GridFS files and chunks stored now. */
    private List<Long> stored() {
        return List.of(count("sessions"), count(GridFsFiles.BUCKET + ".files"), count(GridFsFiles.BUCKET + ".chunks"));
    }

    private void assertNothingLeft(List<Long> before, String what) {
        assertEquals(before, stored(), what + ": no session, file or chunk stored");
        await(what + ": the work directory is deleted")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try (Stream<Path> left = Files.list(servers.workDir())) {
                        return left.findAny().isEmpty();
                    }
                });
    }

    @Test
    void sourcesAreListedWithoutHostUserOrPassword() {
        String body =
                given().get("/api/sources").then().statusCode(200).extract().asString();
        List<String> names = given().get("/api/sources").jsonPath().getList("name");
        assertEquals(List.of("badcreds", "doomed", "limited", "nowhere", "warehouse"), names);
        given().get("/api/sources")
                .then()
                .body("find { it.name == 'limited' }.kind", is("postgresql"))
                .body("find { it.name == 'limited' }.tables_allowed", is(List.of("public.orders", "public.types")));
        for (String secret : List.of(
                "127.0.0.1",
                "localhost",
                Integer.toString(servers.postgres().port()),
                Integer.toString(servers.doomed().port()),
                TestDatabase.USER,
                TestDatabase.PASSWORD,
                "wrong-password-q7",
                "nobody-user-x",
                "nobody-pw-x",
                "jdbc",
                "warehouse-password")) {
            assertFalse(body.contains(secret), "'" + secret + "' in " + body);
        }
    }

    @Test
    void tablesAreListedWithColumnsAndEstimates() {
        given().get("/api/sources/limited/tables")
                .then()
                .statusCode(200)
                .body("table", is(List.of("orders", "types")))
                .body("find { it.table == 'orders' }.schema", is("public"))
                .body(
                        "find { it.table == 'orders' }.columns.name",
                        is(List.of("order_id", "customer", "amount", "placed")))
                .body("find { it.table == 'orders' }.columns.type", is(List.of("int4", "text", "numeric", "date")))
                .body("find { it.table == 'orders' }.row_estimate", is(500));
        List<String> all = given().get("/api/sources/warehouse/tables")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("table");
        assertTrue(all.containsAll(List.of("big", "cheap", "orders", "secret_salaries", "types")), all.toString());
        given().get("/api/sources/nosuch/tables").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/sources/nowhere/tables").then().statusCode(503).body("detail", containsString("'nowhere'"));
    }

    @Test
    void aSessionIsCreatedFromATableAndFromAQuery() {
        Response table = post("/api/session/create", request(Map.of("source", "warehouse", "table", "public.orders")));
        table.then()
                .statusCode(201)
                .body("data_info.rows", is(500))
                .body("data_info.data_types.order_id", is("int64"))
                .body("data_info.data_types.amount", is("float64"))
                .body("data_info.data_types.placed", is("datetime64[ns]"))
                .body("data_info.data_types.customer", is("object"))
                .body("datasets[0].name", is("orders"))
                .body("datasets[0].source.source", is("warehouse"))
                .body("datasets[0].source.table", is("public.orders"));
        Response query = post(
                "/api/session/create",
                request(Map.of(
                        "source",
                        "warehouse",
                        "name",
                        "totals",
                        "query",
                        "SELECT customer, SUM(amount) AS total, COUNT(*) AS n FROM orders GROUP BY customer")));
        query.then()
                .statusCode(201)
                .body("data_info.rows", is(7))
                .body("data_info.data_types.total", is("float64"))
                .body("data_info.data_types.n", is("int64"))
                .body("datasets[0].name", is("totals"))
                .body("datasets[0].source.query", containsString("GROUP BY customer"));
        given().get("/api/session/" + query.jsonPath().getString("session_id"))
                .then()
                .statusCode(200)
                .body("datasets[0].source.source", is("warehouse"));
    }

    @Test
    void aDatasetAddedFromASourceIsAnalysedAsPandasWouldCompute() throws Exception {
        String session = Uploads.sessionOf("regions.csv", "region,manager\nnorth,ann\nsouth,bob\n");
        post("/api/session/" + session + "/datasets", request(Map.of("source", "warehouse", "table", "orders")))
                .then()
                .statusCode(201)
                .body("datasets.name", is(List.of("orders")));
        JsonNode done = SseEvents.parse(given().contentType("application/json")
                        .accept("text/event-stream")
                        .body("{\"question\": \"What is the total amount by customer?\"}")
                        .post("/api/session/" + session + "/analyze")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .done();
        assertEquals("offline", done.get("usage").get("analyst").asText(), done.toString());
        assertTrue(done.get("generated_code").asText().contains("dfs['orders']"), done.toString());
        Map<String, Double> answer = new TreeMap<>();
        done.get("raw_result")
                .get("data")
                .fields()
                .forEachRemaining(e -> answer.put(e.getKey(), e.getValue().asDouble()));
        Map<String, Double> pandas = new TreeMap<>();
        JSON.readTree(python("print(pd.read_sql('SELECT * FROM orders', engine).groupby('customer')['amount'].sum()"
                        + ".to_json())"))
                .fields()
                .forEachRemaining(e -> pandas.put(e.getKey(), e.getValue().asDouble()));
        assertEquals(pandas, answer);
    }

    /** Runs {@code code} with pandas and an SQLAlchemy {@code engine} on the warehouse; its standard output. */
    private String python(String code) throws Exception {
        String script = "import pandas as pd, sqlalchemy\nengine = sqlalchemy.create_engine('"
                + servers.postgres().sqlalchemyUrl() + "')\n" + code + "\n";
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script)
                .redirectErrorStream(false)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return out.strip();
    }

    @Test
    void refreshReimportsTheChangedTableAndKeepsTheHistory() throws Exception {
        servers.postgres()
                .sql(
                        "CREATE TABLE stock (item text, qty integer);\n"
                                + "INSERT INTO stock VALUES ('a', 1), ('b', 2), ('c', 3);\n",
                        null);
        Response created = post("/api/session/create", request(Map.of("source", "warehouse", "table", "stock")));
        created.then().statusCode(201).body("data_info.rows", is(3)).body("profile.qty.max", is(3.0f));
        String id = created.jsonPath().getString("session_id");
        String importedAt = created.jsonPath().getString("datasets[0].source.imported_at");
        given().contentType("application/json")
                .accept("application/json")
                .body("{\"question\": \"What is the total qty?\"}")
                .post("/api/session/" + id + "/analyze")
                .then()
                .statusCode(200);
        List<Long> before = stored();
        servers.postgres().sql("INSERT INTO stock VALUES ('d', 40), ('e', NULL);\n", null);
        post("/api/session/" + id + "/datasets/stock/refresh", "")
                .then()
                .statusCode(200)
                .body("datasets[0].rows", is(5))
                .body("datasets[0].data_types.qty", is("float64"))
                .body("datasets[0].profile.qty.max", is(40.0f))
                .body("datasets[0].null_counts.qty", is(1));
        Response now = given().get("/api/session/" + id);
        now.then()
                .statusCode(200)
                .body("data_info.rows", is(5))
                .body("history.size()", is(1))
                .body("datasets.size()", is(1));
        assertNotEquals(importedAt, now.jsonPath().getString("datasets[0].source.imported_at"));
        assertEquals(before, stored(), "the old file is replaced, not kept beside the new one");
        post("/api/session/" + Uploads.sessionOf("plain.csv", "x\n1\n") + "/datasets/plain/refresh", "")
                .then()
                .statusCode(409)
                .body("detail", containsString("uploaded as a file"));
    }

    private record Failure(Map<String, String> request, int status, String detail) {}

    @Test
    void everyFailureHasItsStatusAndLeavesNothing() {
        String session = Uploads.sessionOf("keep.csv", "k\n1\n");
        List<Failure> failures = List.of(
                new Failure(Map.of("source", "nosuch", "table", "orders"), 404, "No source named 'nosuch'"),
                new Failure(Map.of("source", "warehouse", "table", "nosuch"), 404, "no table 'nosuch'"),
                new Failure(Map.of("source", "limited", "table", "big"), 404, "no table 'big'"),
                new Failure(
                        Map.of("source", "limited", "query", "SELECT * FROM secret_salaries"), 404, "secret_salaries"),
                new Failure(Map.of("source", "warehouse", "query", "DELETE FROM orders"), 400, "only reads"),
                new Failure(Map.of("source", "warehouse", "query", "DROP TABLE orders"), 400, "only reads"),
                new Failure(
                        Map.of("source", "warehouse", "query", "SELECT 1; DELETE FROM orders"), 400, "2 statements"),
                new Failure(Map.of("source", "warehouse", "query", "SELECT 1; SELECT 2"), 400, "2 statements"),
                new Failure(Map.of("source", "warehouse", "query", "SELEC amount FROM orders"), 400, "not valid SQL"),
                new Failure(Map.of("source", "warehouse", "table", "orders", "query", "SELECT 1"), 400, "one of them"),
                new Failure(Map.of("source", "badcreds", "table", "orders"), 502, "credentials"),
                new Failure(Map.of("source", "nowhere", "table", "orders"), 503, "'nowhere'"),
                new Failure(
                        Map.of("source", "warehouse", "query", "SELECT pg_sleep(60)"), 504, "SOURCES_QUERY_TIMEOUT"));
        for (Failure f : failures) {
            for (String path : List.of("/api/session/create", "/api/session/" + session + "/datasets")) {
                if (f.status() == 504 && path.endsWith("/datasets")) {
                    continue; // once is enough for a 12 s wait
                }
                List<Long> before = stored();
                String body = post(path, request(f.request()))
                        .then()
                        .statusCode(f.status())
                        .contentType("application/problem+json")
                        .body("detail", containsString(f.detail()))
                        .extract()
                        .asString();
                for (String secret : List.of(
                        TestDatabase.PASSWORD,
                        "wrong-password-q7",
                        "nobody-pw-x",
                        "nobody-user-x",
                        "127.0.0.1",
                        TestDatabase.USER)) {
                    assertFalse(body.contains(secret), f + " " + path + " echoes '" + secret + "': " + body);
                }
                assertNothingLeft(before, f + " " + path);
            }
        }
        given().get("/api/session/" + session).then().statusCode(200).body("datasets.name", is(List.of("keep")));
        post("/api/session/create", request(Map.of("source", "warehouse", "query", "SELECT COUNT(*) AS n FROM orders")))
                .then()
                .statusCode(201)
                .body("data_info.sample[0].n", is(500));
    }

    @Test
    void aServerStoppedMidImportIs503AndNothingIsStored() throws Exception {
        List<Long> before = stored();
        CompletableFuture<Response> importing = CompletableFuture.supplyAsync(() -> post(
                "/api/session/create", request(Map.of("source", "doomed", "query", SourceServersResource.SLOW_ROWS))));
        // the canonical file is opened once the first rows have arrived from the cursor
        await("the import has started receiving rows")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try (Stream<Path> files = Files.walk(servers.workDir())) {
                        return files.anyMatch(p -> p.getFileName().toString().equals("dataset-0.csv"));
                    } catch (UncheckedIOException | NoSuchFileException e) {
                        return false; // a directory went away while walking
                    }
                });
        assertFalse(importing.isDone(), "still importing when the server stops");
        servers.doomed().kill();
        Response r = importing.get(60, TimeUnit.SECONDS);
        r.then().statusCode(503).contentType("application/problem+json").body("detail", containsString("'doomed'"));
        assertFalse(r.asString().contains(Integer.toString(servers.doomed().port())));
        assertNothingLeft(before, "server stopped mid-import");
    }

    @Test
    void anImportStopsAtTheStoredBytesQuota() {
        List<Long> before = stored();
        post("/api/session/create", request(Map.of("source", "warehouse", "table", "big")))
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("detail", containsString("MAX_STORED_BYTES_PER_CALLER"))
                .body("detail", containsString("nothing was stored"));
        assertNothingLeft(before, "quota");
    }
}
