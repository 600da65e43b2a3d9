package io.llmanalytics.upload;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.testing.Corpus;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.upload.formats.FormatFixtures;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sqlite.JDBC;

/**
 * The multipart part's declared {@code Content-Type} against the file, over HTTP: every format is accepted with the
 * types its clients send (browsers, httpie, curl) and with the generic ones; a type that contradicts the file is a 415
 * problem naming the declared type, the name's format and the content, at creation and when adding a dataset, with
 * nothing stored; parameters and case are ignored; a part without a type is accepted.
 */
@QuarkusTest
class DeclaredTypeUploadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCTET = "application/octet-stream";
    private static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final List<String> GENERIC =
            List.of(OCTET, "binary/octet-stream", "application/x-binary", "application/unknown", "*/*");

    /** One small file of each format: upload name and bytes. */
    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig store;

    @TestHTTPResource("/api/session/create")
    URI createUri;

    @BeforeAll
    static void files() throws Exception {
        FILES.put("sales.csv", "region,amount\nnorth,10\nsouth,20\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("sales.tsv", "region\tamount\nnorth\t10\nsouth\t20\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("sales.txt", "region,amount\nnorth,10\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("sales.json", "[{\"region\": \"north\", \"amount\": 10}]".getBytes(StandardCharsets.UTF_8));
        FILES.put("sales.jsonl", "{\"region\": \"north\", \"amount\": 10}\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("sales.ndjson", "{\"region\": \"south\", \"amount\": 20}\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("book.xlsx", Files.readAllBytes(Corpus.file("files/csvkit_multi-sheet.xlsx")));
        FILES.put("workbook.csv", FILES.get("book.xlsx"));
        FILES.put("legacy.xls", Files.readAllBytes(Corpus.file("files/csvkit_mixed-types_legacy.xls")));
        Path dir = Files.createTempDirectory("declared-type");
        Path ods = dir.resolve("book.ods");
        FormatFixtures.python(
                FormatFixtures.WRITE_ODS,
                ods.toString(),
                JSON.writeValueAsString(Map.of("north", List.of(List.of("item", "units"), List.of("a", 1)))));
        FILES.put("book.ods", Files.readAllBytes(ods));
        FILES.put("plain.parquet", Files.readAllBytes(Corpus.file("formats/parquet/alltypes_plain.parquet")));
        byte[] arrow = Files.readAllBytes(Corpus.file("formats/arrow/generated_primitive.arrow_file"));
        FILES.put("primitive.arrow", arrow);
        FILES.put("primitive.feather", arrow);
        Path db = dir.resolve("shop.sqlite");
        try (Connection c = new JDBC().connect("jdbc:sqlite:" + db, new Properties());
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE orders (id INTEGER, amount REAL)");
            s.executeUpdate("INSERT INTO orders VALUES (1, 2.5), (2, 4.0)");
        }
        FILES.put("shop.sqlite", Files.readAllBytes(db));
        FILES.put("shop.db", Files.readAllBytes(db));
    }

    /**
     * The types each file is accepted with: the lists of issue 16's brief, what Debian's /etc/mime.types and
     * shared-mime-info give for the extension (so Chromium and Firefox on Linux, and httpie), what Windows sends for
     * .csv when Excel is installed, and the generic ones.
     */
    private static Map<String, List<String>> acceptedTypes() {
        Map<String, List<String>> types = new LinkedHashMap<>();
        types.put(
                "sales.csv",
                List.of(
                        "text/csv",
                        "text/plain",
                        "application/csv",
                        "text/x-csv",
                        "application/vnd.ms-excel",
                        "text/comma-separated-values"));
        types.put("sales.tsv", List.of("text/tab-separated-values", "text/plain"));
        types.put("sales.txt", List.of("text/plain"));
        types.put("sales.json", List.of("application/json", "text/json", "text/plain"));
        types.put(
                "sales.jsonl",
                List.of(
                        "application/x-ndjson",
                        "application/jsonl",
                        "application/x-jsonlines",
                        "application/json",
                        "text/plain"));
        types.put("sales.ndjson", List.of("application/x-ndjson"));
        types.put(
                "book.xlsx", List.of(XLSX_TYPE, "application/vnd.ms-excel", "application/x-excel", "application/zip"));
        types.put("legacy.xls", List.of("application/vnd.ms-excel", "application/x-excel", XLSX_TYPE));
        types.put("book.ods", List.of("application/vnd.oasis.opendocument.spreadsheet"));
        types.put("plain.parquet", List.of("application/vnd.apache.parquet", "application/x-parquet"));
        types.put(
                "primitive.arrow", List.of("application/vnd.apache.arrow.file", "application/vnd.apache.arrow.stream"));
        types.put("primitive.feather", List.of("application/x-feather", "application/vnd.apache.arrow.file"));
        types.put("shop.sqlite", List.of("application/vnd.sqlite3", "application/x-sqlite3"));
        types.put("shop.db", List.of("application/vnd.sqlite3"));
        return types;
    }

    private static Response create(String name, String type) {
        return given().multiPart("file", name, FILES.get(name), type).when().post("/api/session/create");
    }

    private static Response add(String session, String name, String type) {
        return given().multiPart("file", name, FILES.get(name), type)
                .when()
                .post("/api/session/" + session + "/datasets");
    }

    private static void delete(Response created) {
        given().delete("/api/session/" + created.jsonPath().getString("session_id"))
                .then()
                .statusCode(204);
    }

    @TestFactory
    Stream<DynamicTest> everyFormatIsAcceptedWithItsOwnTypesAndOctetStream() {
        List<DynamicTest> tests = new ArrayList<>();
        acceptedTypes().forEach((name, types) -> {
            List<String> all = new ArrayList<>(types);
            all.add(OCTET);
            for (String type : all) {
                tests.add(DynamicTest.dynamicTest(name + " as " + type, () -> {
                    Response r = create(name, type);
                    assertEquals(201, r.statusCode(), () -> name + " as " + type + ": " + r.asString());
                    delete(r);
                }));
            }
        });
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyGenericTypeIsAccepted() {
        return Stream.of("plain.parquet", "sales.csv")
                .flatMap(name -> GENERIC.stream()
                        .map(type -> DynamicTest.dynamicTest(name + " as " + type, () -> {
                            Response r = create(name, type);
                            assertEquals(201, r.statusCode(), () -> name + " as " + type + ": " + r.asString());
                            delete(r);
                        })));
    }

    @Test
    void addingADatasetAcceptsItsOwnTypes() {
        String base = Uploads.sessionOf("base.csv", "k,v\n1,2\n");
        for (String[] c : new String[][] {
            {"plain.parquet", "application/vnd.apache.parquet"},
            {"sales.csv", "application/vnd.ms-excel"},
            {"book.xlsx", XLSX_TYPE},
            {"shop.sqlite", "application/x-sqlite3"}
        }) {
            Response r = add(base, c[0], c[1]);
            assertEquals(201, r.statusCode(), () -> c[0] + " as " + c[1] + ": " + r.asString());
        }
        assertEquals(
                6,
                given().get("/api/session/" + base)
                        .jsonPath()
                        .getList("datasets")
                        .size());
        given().delete("/api/session/" + base).then().statusCode(204);
    }

    /** Uploads whose declared type contradicts the file: name, declared type, what the detail must say. */
    private static final List<String[]> CONTRADICTIONS = List.of(
            new String[] {"plain.parquet", "text/csv", "a Parquet file"},
            new String[] {"sales.csv", XLSX_TYPE, "delimited text (CSV)"},
            new String[] {"sales.csv", "application/json", "delimited text (CSV)"},
            new String[] {"sales.csv", "image/png", "delimited text (CSV)"},
            new String[] {"sales.json", "text/csv", "JSON"},
            new String[] {"sales.jsonl", "text/csv", "JSON Lines"},
            new String[] {"book.xlsx", "text/csv", "an Excel workbook"},
            new String[] {"book.xlsx", "image/png", "an Excel workbook"},
            new String[] {"legacy.xls", "application/vnd.apache.parquet", "an Excel workbook"},
            new String[] {"book.ods", XLSX_TYPE, "an OpenDocument spreadsheet"},
            new String[] {"plain.parquet", "image/png", "a Parquet file"},
            new String[] {"primitive.arrow", "application/vnd.apache.parquet", "Arrow IPC"},
            new String[] {"shop.sqlite", "text/csv", "an SQLite database"},
            new String[] {"shop.db", "application/pdf", "an SQLite database"});

    @TestFactory
    Stream<DynamicTest> contradictingTypesAreRefusedAndNothingIsStored() {
        return CONTRADICTIONS.stream()
                .map(c -> DynamicTest.dynamicTest(c[0] + " as " + c[1], () -> {
                    String base = Uploads.sessionOf("base.csv", "k,v\n1,2\n");
                    List<Long> before = stored();
                    checkRefused(create(c[0], c[1]), c);
                    checkRefused(add(base, c[0], c[1]), c);
                    assertEquals(before, stored(), "sessions, GridFS files and chunks unchanged");
                    assertEquals(
                            1,
                            given().get("/api/session/" + base)
                                    .jsonPath()
                                    .getList("datasets")
                                    .size(),
                            "no dataset added");
                    given().delete("/api/session/" + base).then().statusCode(204);
                }));
    }

    private static void checkRefused(Response r, String[] c) {
        assertEquals(415, r.statusCode(), () -> c[0] + " as " + c[1] + ": " + r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.jsonPath().getString("type").endsWith("unsupported-media-type"), r.asString());
        String detail = r.jsonPath().getString("detail");
        String ext = c[0].substring(c[0].lastIndexOf('.'));
        assertTrue(detail.contains("Content-Type " + c[1]), detail);
        assertTrue(detail.contains("(" + ext + ")"), detail);
        assertTrue(detail.contains("its content is " + c[2]), detail);
        assertTrue(detail.contains("application/octet-stream"), detail);
        assertEquals(c[1], r.jsonPath().getString("declared_type"));
        assertTrue(r.jsonPath().getList("accepted_types").contains(OCTET), r.asString());
    }

    @Test
    void parametersAndCaseAreIgnored() {
        for (String[] c : new String[][] {
            {"sales.csv", "TEXT/CSV; charset=UTF-8"},
            {"sales.json", "application/json;charset=utf-8"},
            {"plain.parquet", " Application/Vnd.Apache.Parquet ; version=2"},
            {"book.xlsx", XLSX_TYPE.toUpperCase()},
            {"shop.sqlite", "Application/Octet-Stream; foo=bar"}
        }) {
            Response r = create(c[0], c[1]);
            assertEquals(201, r.statusCode(), () -> c[0] + " as " + c[1] + ": " + r.asString());
            delete(r);
        }
        Response refused = create("plain.parquet", "TEXT/CSV; charset=UTF-8");
        assertEquals(415, refused.statusCode(), refused.asString());
        assertEquals("text/csv", refused.jsonPath().getString("declared_type"));
    }

    @Test
    void aTypeThatAgreesWithTheNameIsAcceptedWhereTheNameAndContentAlreadyAgree() {
        // a workbook saved under .csv is read as a workbook today; a browser sends the name's type, text/csv
        Response r = create("workbook.csv", "text/csv");
        assertEquals(201, r.statusCode(), r.asString());
        assertEquals("xlsx", r.jsonPath().getString("format"), r.asString());
        delete(r);
        Response refused = create("workbook.csv", "application/json");
        assertEquals(415, refused.statusCode(), refused.asString());
    }

    @Test
    void aPartWithoutAContentTypeIsAccepted() throws Exception {
        for (String name : List.of("plain.parquet", "sales.csv", "shop.sqlite")) {
            String boundary = "----declared" + System.nanoTime();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                            + "\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(FILES.get(name));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> r;
            try (HttpClient http = HttpClient.newHttpClient()) {
                r = http.send(
                        HttpRequest.newBuilder(createUri)
                                .timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            assertEquals(201, r.statusCode(), name + ": " + r.body());
            String id = JSON.readTree(r.body()).get("session_id").asText();
            given().delete("/api/session/" + id).then().statusCode(204);
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
}
