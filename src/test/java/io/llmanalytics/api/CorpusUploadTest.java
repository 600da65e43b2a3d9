package io.llmanalytics.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.Corpus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every corpus file (messy CSV/XLSX/XLS and the 52 DABench tables) is uploaded over HTTP. Each either becomes a
 * session whose datasets have the row counts, column names and dtypes pandas 1.5.3 gives (expectations computed by
 * src/test/python/upload_expectations.py), or is refused with the expected 4xx problem. Never a 5xx.
 */
@QuarkusTest
class CorpusUploadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyCorpusFileUploadsLikePandasReadsIt() throws IOException {
        JsonNode expectations;
        try (InputStream in = getClass().getResourceAsStream("/upload/expectations.json")) {
            expectations = JSON.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        expectations
                .fields()
                .forEachRemaining(e ->
                        tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue()))));
        assertTrue(tests.size() >= 91, "all 39 files and 52 tables");
        return tests.stream();
    }

    private static void check(String key, JsonNode expected) {
        Response response =
                given().multiPart("file", Corpus.file(key).toFile()).when().post("/api/session/create");
        int status = expected.get("status").asInt();
        assertEquals(status, response.statusCode(), () -> key + ": " + response.asString());
        if (status != 201) {
            assertEquals("application/problem+json", response.contentType());
            String detail = response.jsonPath().getString("detail");
            assertTrue(detail != null && detail.length() > 20, "a detail that says what is wrong: " + detail);
            return;
        }
        List<Map<String, Object>> datasets = response.jsonPath().getList("datasets");
        JsonNode want = expected.get("datasets");
        assertEquals(
                want.size(),
                datasets.size(),
                key + ": datasets " + datasets.stream().map(d -> d.get("name")).toList());
        for (int i = 0; i < want.size(); i++) {
            JsonNode w = want.get(i);
            Map<String, Object> got = datasets.get(i);
            String where = key + " [" + w.get("name").asText() + "]";
            assertEquals(w.get("name").asText(), got.get("name"), where);
            assertEquals(w.get("rows").asLong(), ((Number) got.get("rows")).longValue(), where + " rows");
            List<String> columns = JSON.convertValue(
                    w.get("columns"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            assertEquals(columns, got.get("column_names"), where + " columns");
            @SuppressWarnings("unchecked")
            Map<String, String> types = (Map<String, String>) got.get("data_types");
            List<String> dtypes = JSON.convertValue(
                    w.get("dtypes"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            assertEquals(dtypes, columns.stream().map(types::get).toList(), where + " dtypes");
        }
        given().delete("/api/session/" + response.jsonPath().getString("session_id"))
                .then()
                .statusCode(204);
    }
}
