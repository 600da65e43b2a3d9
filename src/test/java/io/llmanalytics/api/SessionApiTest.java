package io.llmanalytics.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionApiTest {

    private static final String SALES = """
            date,category,product,region,quantity,price,revenue
            2024-01-05,Electronics,Phone,North,2,300.0,600.0
            2024-01-06,Furniture,Desk,South,1,150.5,150.5
            2024-02-11,Electronics,Laptop,North,1,999.99,999.99
            2024-02-12,Office,Pen,East,10,1.5,15.0
            2024-03-01,Furniture,Chair,West,4,,
            2024-03-02,Office,Paper,East,5,4.0,20.0
            """;

    @Test
    void uploadReturnsTheSchemaProfileAndSampleAtOnce() {
        Response r = Uploads.upload("sales.csv", SALES.getBytes(StandardCharsets.UTF_8));
        r.then()
                .statusCode(201)
                .header("Location", containsString("/api/session/"))
                .body("session_id", notNullValue())
                .body("message", containsString("6 rows x 7 columns"))
                .body("data_info.rows", is(6))
                .body("data_info.columns", is(7))
                .body(
                        "data_info.column_names",
                        equalTo(List.of("date", "category", "product", "region", "quantity", "price", "revenue")))
                .body("data_info.data_types.date", is("datetime64[ns]"))
                .body("data_info.data_types.quantity", is("int64"))
                .body("data_info.data_types.price", is("float64"))
                .body("data_info.data_types.category", is("object"))
                .body("data_info.numeric_columns", equalTo(List.of("quantity", "price", "revenue")))
                .body("data_info.categorical_columns", equalTo(List.of("category", "product", "region")))
                .body("data_info.null_counts.price", is(1))
                .body("data_info.sample", hasSize(5))
                .body("data_info.sample[0].date", is("2024-01-05T00:00:00"))
                .body("data_info.sample[0].quantity", is(2))
                .body("data_info.sample[4].price", nullValue())
                .body("profile.quantity.min", is(1.0f))
                .body("profile.quantity.max", is(10.0f))
                .body("profile.quantity.mean", is(3.8333333f))
                .body("profile.category.distinct", is(3))
                .body("profile.category.top_values[0].value", is("Electronics"))
                .body("profile.category.top_values[0].count", is(2))
                .body("profile.date.min_date", is("2024-01-05T00:00:00"))
                .body("profile.date.max_date", is("2024-03-02T00:00:00"))
                .body("datasets", hasSize(1))
                .body("datasets[0].name", is("sales"))
                .body("datasets[0].default", is(true));
    }

    @Test
    void sessionsRoundTrip() {
        String id = Uploads.sessionOf("round.csv", SALES);
        given().get("/api/session/" + id)
                .then()
                .statusCode(200)
                .body("session_id", is(id))
                .body("file_name", is("round.csv"))
                .body("data_info.rows", is(6))
                .body("profile.revenue.max", is(999.99f))
                .body("history", hasSize(0));
        String newer = Uploads.sessionOf("newer.csv", SALES);
        given().get("/api/sessions?limit=2")
                .then()
                .statusCode(200)
                .body("sessions", hasSize(2))
                .body("sessions[0].session_id", is(newer))
                .body("sessions[1].session_id", is(id))
                .body("total", greaterThanOrEqualTo(2))
                .body("limit", is(2));
        given().get("/api/sessions?limit=1&offset=1").then().statusCode(200).body("sessions[0].session_id", is(id));
        given().get("/api/sessions?limit=1000").then().statusCode(200).body("limit", is(100));
        given().delete("/api/session/" + id).then().statusCode(204);
        given().get("/api/session/" + id).then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/session/" + id).then().statusCode(404);
        given().get("/api/sessions?limit=100").then().body("sessions.session_id", hasItems(newer));
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() {
        given().get("/api/session/00000000-0000-0000-0000-000000000000")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("No session"));
        given().get("/api/session/not-a-uuid").then().statusCode(404).body("status", is(404));
        given().get("/api/session/%27%3B%20drop").then().statusCode(404);
    }

    @Test
    void badPagingIsRefused() {
        given().get("/api/sessions?limit=0").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/sessions?offset=-1").then().statusCode(400);
        given().get("/api/sessions?limit=abc").then().statusCode(404);
    }

    @Test
    void multiSheetWorkbooksBecomeOneDatasetPerSheet() throws Exception {
        byte[] xlsx;
        try (XSSFWorkbook wb = new XSSFWorkbook();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            var orders = wb.createSheet("Orders");
            orders.createRow(0).createCell(0).setCellValue("id");
            orders.getRow(0).createCell(1).setCellValue("amount");
            for (int i = 1; i <= 3; i++) {
                orders.createRow(i).createCell(0).setCellValue(i);
                orders.getRow(i).createCell(1).setCellValue(i * 1.5);
            }
            wb.createSheet("Empty");
            var people = wb.createSheet("Sheet 1");
            people.createRow(0).createCell(0).setCellValue("name");
            people.createRow(1).createCell(0).setCellValue("Ann");
            wb.write(out);
            xlsx = out.toByteArray();
        }
        Uploads.upload("book.xlsx", xlsx)
                .then()
                .statusCode(201)
                .body("datasets", hasSize(2))
                .body("datasets[0].name", is("Orders"))
                .body("datasets[0].default", is(true))
                .body("datasets[0].data_types.id", is("int64"))
                .body("datasets[0].data_types.amount", is("float64"))
                .body("datasets[1].name", is("Sheet 1"))
                .body("datasets[1].default", is(false))
                .body("data_info.rows", is(3));
    }

    @Test
    void jsonRecordsAreAccepted() {
        String json = """
                [{"city": "Oslo", "temp": 3.5, "sunny": true, "when": "2024-01-01"},
                 {"city": "Rome", "temp": 14, "sunny": false, "when": "2024-01-02", "extra": {"a": 1}}]
                """;
        Uploads.upload("weather.json", json.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201)
                .body("data_info.column_names", equalTo(List.of("city", "temp", "sunny", "when", "extra")))
                .body("data_info.data_types.temp", is("float64"))
                .body("data_info.data_types.sunny", is("bool"))
                .body("data_info.data_types.when", is("datetime64[ns]"))
                .body("data_info.data_types.extra", is("object"))
                .body("data_info.sample[1].extra", is("{\"a\":1}"));
    }

    @Test
    void badInputGetsAClearProblem() throws Exception {
        assertProblem(Uploads.upload("empty.csv", new byte[0]), 400, "empty");
        assertProblem(Uploads.upload("head.csv", "a,b,c\n".getBytes()), 400, "no data rows");
        assertProblem(Uploads.upload("report.pdf", "%PDF-1.4 ...".getBytes()), 415, ".xlsx");
        assertProblem(Uploads.upload("data.parquet", "PAR1".getBytes()), 400, "not a valid Parquet file");
        assertProblem(Uploads.upload("data.arrows", "a,b\n1,2\n".getBytes()), 400, "Arrow IPC stream");
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        assertProblem(Uploads.upload("image.csv", binary), 400, "binary");
        assertProblem(
                Uploads.upload("broken.xlsx", "PK\u0003\u0004garbage".getBytes(StandardCharsets.ISO_8859_1)),
                400,
                "workbook");
        assertProblem(Uploads.upload("fake.xlsx", "a,b\n1,2\n".getBytes()), 400, "not an Excel workbook");
        assertProblem(Uploads.upload("locked.xlsx", encryptedWorkbook()), 400, "password");
        assertProblem(Uploads.upload("ragged.csv", "a,b\n1,2\n3,4,5\n".getBytes()), 400, "Line 3");
        assertProblem(Uploads.upload("nested.json", "[[1,2]]".getBytes()), 400, "object");
        assertProblem(Uploads.upload("object.json", "{\"a\": 1}".getBytes()), 400, "array of records");
        assertProblem(Uploads.upload("bad.json", "[{\"a\": 1},".getBytes()), 400, "JSON");
        assertProblem(
                Uploads.upload("deep.json", ("[{\"a\": " + "[".repeat(200) + "]".repeat(200) + "}]").getBytes()),
                400,
                "nested");
        assertProblem(Uploads.upload("nofields.json", "[{}, {}]".getBytes()), 400, "no fields");
        assertProblem(Uploads.upload("quote.csv", "a,b\n1,\"open\n".getBytes()), 400, "quote");
        given().multiPart("other", "x.csv", "a\n1\n".getBytes())
                .post("/api/session/create")
                .then()
                .statusCode(400)
                .body("detail", containsString("'file'"));
    }

    @Test
    void tooManyCellsIsRefusedWith413() {
        StringBuilder csv = new StringBuilder("a,b,c,d,e,f,g,h,i,j\n");
        for (int i = 0; i < 200_001; i++) {
            csv.append("1,2,3,4,5,6,7,8,9,0\n");
        }
        assertProblem(Uploads.upload("big.csv", csv.toString().getBytes()), 413, "MAX_DATAFRAME_SIZE");
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        given().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
        given().put("/api/sessions").then().statusCode(405).contentType("application/problem+json");
    }

    private static void assertProblem(Response r, int status, String detailPart) {
        r.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", is(status))
                .body("title", notNullValue())
                .body("type", containsString("urn:llm-analytics:problem:"))
                .body("detail", containsString(detailPart));
        Map<String, Object> body = r.jsonPath().getMap("");
        assertEquals(false, body.toString().contains("Exception"), "no stack trace or exception names: " + body);
    }

    private static byte[] encryptedWorkbook() throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            wb.createSheet("s").createRow(0).createCell(0).setCellValue("secret");
            wb.write(plain);
        }
        try (POIFSFileSystem fs = new POIFSFileSystem();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
            Encryptor encryptor = info.getEncryptor();
            encryptor.confirmPassword("pass");
            try (var pkg = org.apache.poi.openxml4j.opc.OPCPackage.open(
                            new java.io.ByteArrayInputStream(plain.toByteArray()));
                    OutputStream os = encryptor.getDataStream(fs)) {
                pkg.save(os);
            }
            fs.writeFilesystem(out);
            return out.toByteArray();
        }
    }
}
