package io.llmanalytics.dictionary;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data dictionary API: drafts at upload, edits, files, and every bad input as a problem naming it. */
@QuarkusTest
class DictionaryApiTest {

    /** Built for the drafts: an increasing id, currency and percent text, text codes, integer codes, dates. */
    static final String ORDERS = """
            order_id,customer,price,discount,status,tier,day,revenue
            1,Ann,€12.50,5%,A,1,2024-01-03,100.5
            2,Bob,€8.00,10%,B,2,2024-01-09,20.0
            3,Cid,€3.25,0%,A,3,2024-02-11,31.0
            4,Dee,€40.00,5%,C,1,2024-03-01,12.0
            5,Eve,€7.10,15%,B,2,2024-03-15,8.5
            6,Fay,€9.99,5%,A,3,2024-04-02,14.0
            7,Gus,€1.50,0%,C,1,2024-05-20,3.0
            8,Hal,€2.75,10%,A,2,2024-06-30,9.0
            """;

    String session;

    @BeforeEach
    void upload() {
        session = Uploads.sessionOf("orders.csv", ORDERS);
    }

    private String path() {
        return "/api/session/" + session + "/datasets/orders/dictionary";
    }

    private ValidatableResponse put(Object body) {
        return given().contentType("application/json").body(body).put(path()).then();
    }

    @Test
    void draftsStateOnlyWhatTheDataShows() {
        given().get(path())
                .then()
                .statusCode(200)
                .body("dataset", equalTo("orders"))
                .body("columns.order_id.description", equalTo("identifier, unique per row"))
                .body("columns.order_id.draft", equalTo(true))
                .body("columns.price.unit", equalTo("€"))
                .body("columns.discount.unit", equalTo("%"))
                .body("columns.status.values", equalTo(Map.of("A", "", "B", "", "C", "")))
                .body("columns.tier.values", equalTo(Map.of("1", "", "2", "", "3", "")))
                .body("columns.day.description", equalTo("dates from 2024-01-03 to 2024-06-30"))
                .body("columns.customer.description", equalTo("unique per row"))
                .body("columns.revenue", nullValue()) // nothing shows what revenue means: no draft
                .body("dropped_columns", equalTo(List.of()));
    }

    @Test
    void putReplacesTheNamedEntriesClearsTheirDraftFlagAndKeepsTheRest() {
        put(Map.of(
                        "description",
                        "Orders of the web shop",
                        "columns",
                        Map.of(
                                "revenue",
                                Map.of("description", "Net revenue", "unit", "€", "synonyms", List.of("turnover")),
                                "tier",
                                Map.of("values", Map.of("1", "first class", "2", "second class", "3", "third class")))))
                .statusCode(200)
                .body("description", equalTo("Orders of the web shop"))
                .body("columns.revenue.synonyms", equalTo(List.of("turnover")))
                .body("columns.revenue.draft", nullValue())
                .body("columns.tier.values.1", equalTo("first class"))
                .body("columns.tier.draft", nullValue())
                .body("columns.price.draft", equalTo(true));
        given().get(path())
                .then()
                .statusCode(200)
                .body("columns.revenue.unit", equalTo("€"))
                .body("columns.tier.values.3", equalTo("third class"))
                .body("columns.order_id.draft", equalTo(true));
        // a column set to null loses its entry
        given().contentType("application/json")
                .body("{\"columns\": {\"price\": null}}")
                .put(path())
                .then()
                .statusCode(200)
                .body("columns.price", nullValue())
                .body("description", equalTo("Orders of the web shop"));
    }

    @Test
    void everyProblemIsNamedAndNothingIsChanged() {
        String longText = "x".repeat(501);
        List<String> manySynonyms = List.of("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11");
        put(Map.of(
                        "columns",
                        Map.of(
                                "nope",
                                Map.of("description", "what"),
                                "revenue",
                                Map.of("description", longText, "synonyms", List.of("sales", "customer")),
                                "price",
                                Map.of("synonyms", List.of("sales")),
                                "discount",
                                Map.of("synonyms", manySynonyms),
                                "tier",
                                Map.of("values", Map.of("first", "first class")))))
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body(
                        "detail",
                        allOf(
                                containsString("column 'nope' is not a column of this dataset"),
                                containsString("column 'revenue': the description has 501 characters, at most 500"),
                                containsString("the synonym 'customer' is the name of column 'customer'"),
                                containsString("the synonym 'sales' is given to both"),
                                containsString("column 'discount' has 11 synonyms, at most 10"),
                                containsString("column 'tier': the code 'first' is not a number")));
        Map<String, String> manyValues = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 51; i++) {
            manyValues.put("C" + i, "label " + i);
        }
        put(Map.of("columns", Map.of("status", Map.of("values", manyValues))))
                .statusCode(400)
                .body("detail", containsString("column 'status' has 51 labelled values, at most 50"));
        given().get(path()).then().statusCode(200).body("columns.revenue", nullValue());
    }

    @Test
    void unknownSessionOrDatasetIs404() {
        given().get("/api/session/" + session + "/datasets/nope/dictionary")
                .then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("no dataset named 'nope'"));
        given().get("/api/session/00000000-0000-0000-0000-000000000000/datasets/orders/dictionary")
                .then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void aCsvFileIsReadWithSynonymsAndValues() {
        String csv = """
                column,description,unit,synonyms,values
                revenue,Net revenue,€,turnover;takings,
                tier,Travel class,,,1=first class;2=second class;3=third class
                """;
        given().multiPart("file", "dictionary.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .post(path())
                .then()
                .statusCode(200)
                .body("columns.revenue.synonyms", equalTo(List.of("turnover", "takings")))
                .body("columns.revenue.unit", equalTo("€"))
                .body("columns.tier.values.2", equalTo("second class"))
                .body("columns.tier.description", equalTo("Travel class"));
        given().get(path()).then().body("columns.revenue.description", equalTo("Net revenue"));
    }

    @Test
    void aJsonFileIsReadLikeAPut() {
        String json =
                "{\"description\": \"Shop orders\", \"columns\": {\"status\": {\"values\": {\"A\": \"active\"}}}}";
        given().multiPart("file", "dictionary.json", json.getBytes(StandardCharsets.UTF_8), "application/json")
                .post(path())
                .then()
                .statusCode(200)
                .body("description", equalTo("Shop orders"))
                .body("columns.status.values.A", equalTo("active"));
    }

    @Test
    void badFilesAreRefusedWithTheReason() {
        given().multiPart("file", "dictionary.xlsx", new byte[] {1, 2, 3}, "application/vnd.ms-excel")
                .post(path())
                .then()
                .statusCode(415)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("CSV"));
        given().multiPart("file", "d.csv", "name,meaning\nrevenue,x\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .post(path())
                .then()
                .statusCode(400)
                .body("detail", containsString("column,description,unit,synonyms,values"));
        given().multiPart(
                        "file",
                        "d.csv",
                        "column,values\ntier,first class\n".getBytes(StandardCharsets.UTF_8),
                        "text/csv")
                .post(path())
                .then()
                .statusCode(400)
                .body("detail", containsString("code=label"));
        given().multiPart("file", "d.csv", "column,description\nghost,x\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .post(path())
                .then()
                .statusCode(400)
                .body("detail", containsString("column 'ghost' is not a column"));
        given().multiPart("file", "d.json", "{\"columns\": [1,2]}".getBytes(StandardCharsets.UTF_8), "application/json")
                .post(path())
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", not(containsString("Exception")));
    }

    @Test
    void theDictionaryGoesWithTheSession() {
        put(Map.of("columns", Map.of("revenue", Map.of("description", "Net revenue"))))
                .statusCode(200);
        given().delete("/api/session/" + session).then().statusCode(204);
        given().get(path()).then().statusCode(404);
        given().get("/api/session/" + session).then().statusCode(404).body("detail", not(hasItem("x")));
    }
}
