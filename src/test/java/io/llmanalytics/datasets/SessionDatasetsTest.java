package io.llmanalytics.datasets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubRequest;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several datasets in one session: adding files, their names, join keys measured on the data, and join questions. */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class SessionDatasetsTest {

    static final String ORDERS = """
            order_id,customer_id,amount
            100,1,20.5
            101,2,10.0
            102,1,5.25
            103,3,40.0
            104,5,7.0
            105,2,2.5
            """;

    static final String CUSTOMERS = """
            id,name,region
            1,Ann,North
            2,Bob,South
            3,Cid,North
            4,Dee,East
            """;

    @InjectOpenAiStub
    OpenAiStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    static Response add(String session, String fileName, byte[] content) {
        return given().multiPart("file", fileName, content).when().post("/api/session/" + session + "/datasets");
    }

    @Test
    void aFileAddsADatasetWithMeasuredJoinKeys() {
        String session = Uploads.sessionOf("orders.csv", ORDERS);
        JsonPath added = add(session, "Customers.csv", CUSTOMERS.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201)
                .contentType("application/json")
                .body("session_id", is(session))
                .body("datasets.size()", is(1))
                .body("datasets[0].name", is("customers"))
                .body("datasets[0].default", is(false))
                .body("datasets[0].rows", is(4))
                .body("dataset_names", equalTo(List.of("orders", "customers")))
                .extract()
                .jsonPath();
        List<Map<String, Object>> shared = added.getList("shared_columns");
        Map<String, Object> key = shared.stream()
                .filter(c -> "customer_id".equals(c.get("left_column")) && "id".equals(c.get("right_column")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(shared));
        // orders has customers {1, 2, 3, 5}, customers {1, 2, 3, 4}: 3 in common of 4
        assertEquals("orders", key.get("left_dataset"));
        assertEquals("customers", key.get("right_dataset"));
        assertEquals(3, key.get("common"));
        assertEquals(4, key.get("left_distinct"));
        assertEquals(4, key.get("right_distinct"));
        assertEquals(0.75, ((Number) key.get("overlap")).doubleValue(), 1e-9);
        assertEquals(true, key.get("same_name"));
        given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .body("datasets.name", equalTo(List.of("orders", "customers")))
                .body("shared_columns[0].left_column", is("customer_id"));
    }

    @Test
    void aJoinQuestionIsAnsweredOnBothDatasets() {
        String session = Uploads.sessionOf("orders.csv", ORDERS);
        add(session, "customers.csv", CUSTOMERS.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201);
        String code = """
                merged = dfs['orders'].merge(dfs['customers'], left_on='customer_id', right_on='id')
                result = merged.groupby('region')['amount'].sum()""";
        stub.respond(r -> r.streaming() ? StubResponse.content("North leads.") : StubResponse.code(code));
        SseEvents events = SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body("{\"question\": \"What is the order amount by customer region?\"}")
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        JsonNode result = events.done().get("raw_result");
        assertEquals("series", result.get("type").asText(), events.done().toString());
        Map<String, Double> expected = amountByRegion();
        Map<String, Double> actual = new TreeMap<>();
        result.get("data")
                .fields()
                .forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asDouble()));
        assertEquals(expected, actual);
        StubRequest request = stub.chatRequests().stream()
                .filter(r -> !r.streaming())
                .findFirst()
                .orElseThrow();
        String prompt = request.prompt();
        assertTrue(
                prompt.contains("<shared_columns>")
                        && prompt.contains("\"customer_id\"")
                        && prompt.contains("overlap 75%"),
                prompt);
        assertTrue(prompt.contains("dfs[\\\"customers\\\"]") || prompt.contains("dfs[\"customers\"]"), prompt);
    }

    /** The join computed here, independently: inner join of orders and customers, amount summed by region. */
    private static Map<String, Double> amountByRegion() {
        Map<String, String> region = new HashMap<>();
        CUSTOMERS.lines().skip(1).map(l -> l.split(",")).forEach(c -> region.put(c[0], c[2]));
        Map<String, Double> sums = new TreeMap<>();
        ORDERS.lines()
                .skip(1)
                .map(l -> l.split(","))
                .filter(o -> region.containsKey(o[1]))
                .forEach(o -> sums.merge(region.get(o[1]), Double.parseDouble(o[2]), Double::sum));
        return sums;
    }

    @Test
    void namesAreUniqueAndWorkbookSheetsEachBecomeADataset() throws Exception {
        String session = Uploads.sessionOf("orders.csv", ORDERS);
        add(session, "orders.csv", ORDERS.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201)
                .body("datasets[0].name", is("orders_2"));
        add(session, "more.xlsx", workbook())
                .then()
                .statusCode(201)
                .body("datasets.name", equalTo(List.of("customers", "returns_2024")))
                .body("dataset_names", equalTo(List.of("orders", "orders_2", "customers", "returns_2024")));
        stub.respond(r -> r.streaming()
                ? StubResponse.content("There are 8 rows.")
                : StubResponse.code(
                        "result = len(dfs['customers']) + len(dfs['returns_2024']) + len(dfs['orders_2'])"));
        JsonNode done = SseEvents.parse(given().contentType("application/json")
                        .accept("text/event-stream")
                        .body("{\"question\": \"How many rows in all?\"}")
                        .post("/api/session/" + session + "/analyze")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .done();
        assertEquals(4 + 2 + 6, done.get("raw_result").asInt(), done.toString());
    }

    private static byte[] workbook() throws Exception {
        return workbook(Map.of("Customers", CUSTOMERS, "Returns 2024", "order_id\n101\n104\n"));
    }

    /** A workbook with a sheet per CSV text (sorted by name); numeric text becomes numeric cells. */
    static byte[] workbook(Map<String, String> sheets) throws Exception {
        try (XSSFWorkbook wb = new XSSFWorkbook();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String name : new TreeMap<>(sheets).keySet()) {
                Sheet sheet = wb.createSheet(name);
                List<String[]> rows = new ArrayList<>();
                sheets.get(name).lines().map(l -> l.split(",")).forEach(rows::add);
                for (int i = 0; i < rows.size(); i++) {
                    Row row = sheet.createRow(i);
                    for (int j = 0; j < rows.get(i).length; j++) {
                        String cell = rows.get(i)[j];
                        if (i > 0 && cell.matches("-?\\d+(\\.\\d+)?")) {
                            row.createCell(j).setCellValue(Double.parseDouble(cell));
                        } else {
                            row.createCell(j).setCellValue(cell);
                        }
                    }
                }
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void theSheetsOfAWorkbookGetTheirJoinKeysAtUpload() throws Exception {
        Response created = Uploads.upload("shop.xlsx", workbook(Map.of("customers", CUSTOMERS, "orders", ORDERS)));
        created.then().statusCode(201);
        String session = created.jsonPath().getString("session_id");
        given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .body("datasets.name", equalTo(List.of("customers", "orders")))
                .body("shared_columns.size()", is(1))
                .body("shared_columns[0].left_dataset", is("customers"))
                .body("shared_columns[0].left_column", is("id"))
                .body("shared_columns[0].right_column", is("customer_id"))
                .body("shared_columns[0].common", is(3))
                .body("shared_columns[0].overlap", is(0.75f));
    }

    @Test
    void problems() throws Exception {
        String session = Uploads.sessionOf("orders.csv", ORDERS);
        add("00000000-0000-0000-0000-000000000000", "c.csv", CUSTOMERS.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().multiPart("other", "x")
                .post("/api/session/" + session + "/datasets")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("'file'"));
        add(session, "empty.csv", new byte[0]).then().statusCode(400).contentType("application/problem+json");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < io.llmanalytics.upload.SessionDatasets.MAX_DATASETS; i++) {
            many.put("s" + i, "a\n" + i + "\n");
        }
        add(session, "many.xlsx", workbook(many))
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("at most 20 datasets"));
        given().get("/api/session/" + session).then().body("datasets.size()", is(1));
    }
}
