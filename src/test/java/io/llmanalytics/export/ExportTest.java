package io.llmanalytics.export;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ExportTest {

    private static final String CSV =
            "label,amount,when,ok\n=cmd|' /C calc'!A0,-5,2024-01-02,True\n@SUM(1),2.5,2024-01-03,False\n"
                    + "plain,,,True\n";

    @Test
    void csvExportKeepsNumbersAndNeutralisesFormulaText() {
        String id = Uploads.sessionOf("formulas.csv", CSV);
        String body = given().get("/api/session/" + id + "/export?format=csv")
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("formulas.csv"))
                .extract()
                .asString();
        String[] lines = body.split("\n");
        assertEquals("label,amount,when,ok", lines[0]);
        assertEquals("'=cmd|' /C calc'!A0,-5,2024-01-02,True", lines[1]);
        assertEquals("'@SUM(1),2.5,2024-01-03,False", lines[2]);
        assertEquals("plain,,,True", lines[3]);
    }

    @Test
    void xlsxExportHasTypedCellsAndTextNeverBecomesAFormula() throws Exception {
        String id = Uploads.sessionOf("formulas.csv", CSV);
        byte[] xlsx = given().get("/api/session/" + id + "/export?format=xlsx")
                .then()
                .statusCode(200)
                .contentType(containsString("spreadsheetml"))
                .extract()
                .asByteArray();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            XSSFSheet sheet = wb.getSheetAt(0);
            assertEquals("formulas", sheet.getSheetName());
            assertEquals(CellType.STRING, sheet.getRow(1).getCell(0).getCellType());
            assertEquals("'=cmd|' /C calc'!A0", sheet.getRow(1).getCell(0).getStringCellValue());
            assertEquals(-5.0, sheet.getRow(1).getCell(1).getNumericCellValue());
            assertEquals(
                    2024, sheet.getRow(1).getCell(2).getLocalDateTimeCellValue().getYear());
            assertEquals(true, sheet.getRow(1).getCell(3).getBooleanCellValue());
            assertEquals(null, sheet.getRow(3).getCell(1), "missing values are empty cells");
        }
    }

    @Test
    void aChosenDatasetOfAWorkbookIsExported() throws Exception {
        byte[] book;
        try (XSSFWorkbook wb = new XSSFWorkbook();
                var out = new java.io.ByteArrayOutputStream()) {
            wb.createSheet("first").createRow(0).createCell(0).setCellValue("a");
            wb.getSheet("first").createRow(1).createCell(0).setCellValue(1);
            wb.createSheet("second").createRow(0).createCell(0).setCellValue("b");
            wb.getSheet("second").createRow(1).createCell(0).setCellValue("x");
            wb.write(out);
            book = out.toByteArray();
        }
        String id = Uploads.upload("two.xlsx", book)
                .then()
                .statusCode(201)
                .extract()
                .path("session_id");
        String second = given().get("/api/session/" + id + "/export?dataset=second")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals("b\nx\n", second);
        given().get("/api/session/" + id + "/export?dataset=third")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("second"));
        given().get("/api/session/" + id + "/export?format=pdf").then().statusCode(400);
        given().get("/api/session/00000000-0000-0000-0000-000000000000/export")
                .then()
                .statusCode(404);
        assertEquals(
                "a\n1\n",
                new String(
                        given().get("/api/session/" + id + "/export")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asByteArray(),
                        StandardCharsets.UTF_8));
    }
}
