package io.llmanalytics.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.python.PythonLiterals;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Table results (the worker's JSON) as CSV, XLSX, plain text and HTML. */
class ResultTableTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aDataFrameWithItsIndex() throws Exception {
        JsonNode frame = json("""
                {"type": "dataframe", "columns": ["name", "n", "ok"], "data": [{"name": "=cmd()", "n": 1.5, "ok": true},
                 {"name": "b, \\"q\\"", "n": null, "ok": false}], "index": [3, 7], "index_names": ["row"],
                 "truncated": true, "shape": [9, 3]}""");
        ResultTable table = ResultTable.of(frame).orElseThrow();
        assertEquals(List.of("row", "name", "n", "ok"), table.header());
        assertTrue(table.truncated());
        assertEquals(
                "row,name,n,ok\n3,'=cmd(),1.5,true\n7,\"b, \"\"q\"\"\",,false\n",
                new String(table.csv(), StandardCharsets.UTF_8));
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(table.xlsx("result")))) {
            Sheet sheet = workbook.getSheetAt(0);
            assertEquals("'=cmd()", sheet.getRow(1).getCell(1).getStringCellValue());
            assertEquals(CellType.STRING, sheet.getRow(1).getCell(1).getCellType(), "never a formula");
            assertEquals(1.5, sheet.getRow(1).getCell(2).getNumericCellValue());
            assertTrue(sheet.getRow(1).getCell(3).getBooleanCellValue());
            assertNull(sheet.getRow(2).getCell(2), "missing stays empty");
        }
        String html = ResultText.html(frame);
        assertTrue(html.contains("<td>=cmd()</td>") && html.contains("<td>b, &quot;q&quot;</td>"), html);
        assertTrue(ResultText.plain(frame).endsWith("\n..."), "a cut table says so");
    }

    @Test
    void seriesWithUniqueOrRepeatedLabels() throws Exception {
        ResultTable unique = ResultTable.of(json("""
                {"type": "series", "name": "revenue", "index_names": ["category"], "data": {"a": 1, "b": 2.5}}""")).orElseThrow();
        assertEquals("category,revenue\na,1\nb,2.5\n", new String(unique.csv(), StandardCharsets.UTF_8));
        ResultTable repeated = ResultTable.of(json("""
                {"type": "series", "name": null, "data": [["x", 1], ["x", 2]]}""")).orElseThrow();
        assertEquals("index,value\nx,1\nx,2\n", new String(repeated.csv(), StandardCharsets.UTF_8));
    }

    @Test
    void otherResultsAreNotTables() throws Exception {
        for (String text : List.of("3", "\"text\"", "[1, 2]", "{\"type\": \"ndarray\", \"data\": [1]}", "null")) {
            assertTrue(ResultTable.of(json(text)).isEmpty(), text);
            assertNull(ResultText.html(json(text)));
        }
        assertEquals("'it''s'".replace("''", "\\'"), ResultText.plain(json("\"it's\"")));
        assertEquals("True", ResultText.plain(json("true")));
        assertEquals("None", ResultText.plain(json("null")));
        assertEquals("<Thing>", ResultText.plain(json("{\"type\": \"object\", \"repr\": \"<Thing>\"}")));
    }

    @Test
    void pythonLiterals() {
        assertEquals("'a\\'b\\\\c\\nd'", PythonLiterals.string("a'b\\c\nd"));
        assertEquals("'caf\u00e9 \\u2028'", PythonLiterals.string("caf\u00e9 \u2028"));
        assertEquals("['x', 'y z']", PythonLiterals.list(List.of("x", "y z")));
    }
}
