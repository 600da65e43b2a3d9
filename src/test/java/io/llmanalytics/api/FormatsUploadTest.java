package io.llmanalytics.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.upload.formats.FormatFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The new formats over HTTP, through the same path as CSV (parse, schema, GridFS, worker): every file of the
 * corpus's formats/ folder through POST /api/session/create and through POST /api/session/{id}/datasets gives its
 * documented rows and dtypes or a 4xx problem (never a 5xx); ODS and JSON Lines uploads; a file whose name and
 * signature disagree; and a question about a Parquet upload answered by the offline analyst in the real worker, its
 * numbers checked against values computed here from the generating formula.
 */
@QuarkusTest
class FormatsUploadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyFormatsCorpusFileUploadsOrIsRefused() {
        return FormatFixtures.corpus().stream()
                .map(e -> DynamicTest.dynamicTest(e.uploadName(), () -> {
                    byte[] content = Files.readAllBytes(e.file());
                    Response created = given().multiPart("file", e.uploadName(), content)
                            .when()
                            .post("/api/session/create");
                    check(e, created, "datasets");
                    String base = Uploads.sessionOf("base.csv", "k,v\n1,2\n3,4\n");
                    Response added = given().multiPart("file", e.uploadName(), content)
                            .when()
                            .post("/api/session/" + base + "/datasets");
                    check(e, added, "datasets");
                    if (e.status() != 201) {
                        assertEquals(
                                1,
                                given().get("/api/session/" + base)
                                        .jsonPath()
                                        .getList("datasets")
                                        .size(),
                                "nothing half-stored after a refused file");
                    }
                    given().delete("/api/session/" + base).then().statusCode(204);
                    if (created.statusCode() == 201) {
                        given().delete("/api/session/" + created.jsonPath().getString("session_id"))
                                .then()
                                .statusCode(204);
                    }
                }));
    }

    private static void check(FormatFixtures.Expected e, Response r, String datasetsField) {
        assertEquals(e.status(), r.statusCode(), () -> e.uploadName() + ": " + r.asString());
        if (e.status() != 201) {
            assertEquals("application/problem+json", r.contentType());
            assertTrue(r.jsonPath().getString("detail").length() > 30, r.asString());
            assertTrue(!r.asString().contains("/tmp/"), "no server path in the problem: " + r.asString());
            return;
        }
        List<Map<String, Object>> datasets = r.jsonPath().getList(datasetsField);
        assertEquals(1, datasets.size());
        Map<String, Object> d = datasets.get(0);
        assertEquals(e.rows(), ((Number) d.get("rows")).longValue());
        assertEquals(List.copyOf(e.dtypes().keySet()), d.get("column_names"));
        @SuppressWarnings("unchecked")
        Map<String, String> types = (Map<String, String>) d.get("data_types");
        assertEquals(
                e.dtypes(),
                new LinkedHashMap<>(types.entrySet().stream()
                        .sorted((a, b) -> List.copyOf(e.dtypes().keySet()).indexOf(a.getKey())
                                - List.copyOf(e.dtypes().keySet()).indexOf(b.getKey()))
                        .collect(LinkedHashMap::new, (m, x) -> m.put(x.getKey(), x.getValue()), Map::putAll)));
    }

    @Test
    void odsAndJsonLinesUploadThroughTheSamePath() throws Exception {
        Path dir = Files.createTempDirectory("formats");
        Path ods = dir.resolve("book.ods");
        Map<String, List<List<Object>>> book = new LinkedHashMap<>();
        book.put("north", List.of(List.of("item", "units"), List.of("a", 1), List.of("b", 2)));
        book.put("south", List.of(List.of("item", "units", "price"), List.of("c", 3, 1.5)));
        FormatFixtures.python(FormatFixtures.WRITE_ODS, ods.toString(), JSON.writeValueAsString(book));
        Response r = given().multiPart("file", ods.toFile()).when().post("/api/session/create");
        assertEquals(201, r.statusCode(), r.asString());
        assertEquals(List.of("north", "south"), r.jsonPath().getList("datasets.name"));
        assertEquals(List.of(2, 1), r.jsonPath().getList("datasets.rows"));

        byte[] jsonl = "{\"city\": \"Oslo\", \"temp\": -3.5}\n{\"city\": \"Rome\", \"temp\": 14}\n\n"
                .getBytes(StandardCharsets.UTF_8);
        r = Uploads.upload("weather.ndjson", jsonl);
        assertEquals(201, r.statusCode(), r.asString());
        assertEquals(List.of("city", "temp"), r.jsonPath().getList("datasets[0].column_names"));
        assertEquals("float64", r.jsonPath().getString("datasets[0].data_types.temp"));

        r = Uploads.upload("weather.jsonl", "{\"city\": \"Oslo\"}\n{\"city\": \n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode());
        assertTrue(r.jsonPath().getString("detail").startsWith("Line 2 of the JSON Lines file"), r.asString());
    }

    @Test
    void aCsvNamedParquetIsRefusedSayingWhatItIs() {
        Response r = Uploads.upload("sales.parquet", "region,revenue\nNorth,10\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.jsonPath().getString("detail").contains("text (such as CSV)"), r.asString());
    }

    @Test
    void aQuestionAboutAParquetUploadIsAnsweredInTheWorkerWithTheRightNumbers() throws Exception {
        Path file = Files.createTempDirectory("parquet").resolve("sales.parquet");
        String[] regions = {"North", "South", "East", "West"};
        Map<String, Double> revenue = new TreeMap<>();
        double quantity = 0;
        int quantities = 0;
        int rows = 5000;
        for (int i = 0; i < rows; i++) {
            revenue.merge(regions[i % 4], ((i * 37) % 1000) / 4.0, Double::sum);
            if (i % 7 != 0) {
                quantity += i % 13;
                quantities++;
            }
        }
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement()) {
            st.execute("COPY (SELECT i AS id, ['North','South','East','West'][(i % 4) + 1] AS region,"
                    + " CAST(((i * 37) % 1000) / 4.0 AS DECIMAL(10,2)) AS revenue,"
                    + " CASE WHEN i % 7 = 0 THEN NULL ELSE CAST(i % 13 AS INTEGER) END AS quantity,"
                    + " TIMESTAMP '2024-01-01' + INTERVAL (i) HOUR AS sold_at"
                    + " FROM range(" + rows + ") t(i)) TO '" + file
                    + "' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000)");
        }
        Response created = given().multiPart("file", file.toFile()).when().post("/api/session/create");
        assertEquals(201, created.statusCode(), created.asString());
        Map<String, String> types = created.jsonPath().getMap("datasets[0].data_types");
        assertEquals(
                Map.of(
                        "id",
                        "int64",
                        "region",
                        "object",
                        "revenue",
                        "float64",
                        "quantity",
                        "float64",
                        "sold_at",
                        "datetime64[ns]"),
                types);
        String session = created.jsonPath().getString("session_id");

        JsonNode byRegion = ask(session, "What is the total revenue by region?");
        assertEquals(4, byRegion.path("raw_result").path("data").size(), byRegion.toString());
        for (Map.Entry<String, Double> e : revenue.entrySet()) {
            assertEquals(
                    e.getValue(),
                    byRegion.path("raw_result").path("data").path(e.getKey()).asDouble(),
                    1e-6,
                    e.getKey() + ": " + byRegion.path("raw_result"));
        }
        JsonNode average = ask(session, "What is the average quantity?");
        assertEquals(
                quantity / quantities,
                average.path("raw_result").asDouble(),
                1e-9,
                average.path("raw_result").toString());
    }

    private static JsonNode ask(String session, String question) throws Exception {
        Response r = given().contentType("application/json")
                .accept("application/json")
                .body(Map.of("question", question))
                .when()
                .post("/api/session/" + session + "/analyze");
        assertEquals(200, r.statusCode(), question + ": " + r.asString());
        return JSON.readTree(r.asString());
    }
}
