package io.llmanalytics.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analyst.TestDatasets;
import io.llmanalytics.session.DatasetDocument;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The notebook's structure, written from stored datasets and steps (no service needed). */
class NotebookTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void cellsInOrderWithOutputsAndTextOnlyMarkdown() throws Exception {
        List<DatasetDocument> datasets = List.of(
                new DatasetDocument("sales", true, "f1", "h1", List.of(""), TestDatasets.sales()),
                new DatasetDocument("returns", false, "f2", "h2", List.of(""), TestDatasets.returns()));
        JsonNode series = JSON.readTree("{\"type\": \"series\", \"name\": \"revenue\", \"data\": {\"a\": 1}}");
        List<Notebook.Step> steps = List.of(
                new Notebook.Step(
                        "i1",
                        "Revenue <script>alert(1)</script>?",
                        "It is **1**.",
                        "result = 1",
                        "hello\n",
                        series,
                        List.of("iVBORw0KGgo="),
                        true),
                new Notebook.Step("i2", "Count?", null, "result = 2", "", JSON.readTree("2"), List.of(), false));
        JsonNode nb = JSON.readTree(Notebook.write("s-1", datasets, steps));
        assertEquals(4, nb.get("nbformat").asInt());
        assertEquals(5, nb.get("nbformat_minor").asInt());
        assertEquals("python3", nb.get("metadata").get("kernelspec").get("name").asText());
        JsonNode cells = nb.get("cells");
        assertEquals(
                List.of("markdown", "code", "markdown", "code", "markdown", "code"),
                JSON.convertValue(
                        cells.findValues("cell_type").stream()
                                .map(JsonNode::asText)
                                .toList(),
                        List.class));
        Set<String> ids = new HashSet<>();
        cells.forEach(c -> ids.add(c.get("id").asText()));
        assertEquals(cells.size(), ids.size(), "cell ids are unique");

        String intro = text(cells.get(0));
        assertTrue(
                intro.contains("`sales.csv`")
                        && intro.contains("`returns.csv`")
                        && intro.contains("/api/session/s-1/export?dataset=returns&format=csv"),
                intro);
        String question = text(cells.get(2));
        assertFalse(question.contains("<script>"), question);
        assertTrue(question.contains("&lt;script&gt;"), question);

        JsonNode answer = cells.get(3);
        assertEquals("df, dfs = fresh()\nresult = None\nresult = 1\nresult", text(answer));
        assertEquals(1, answer.get("execution_count").asInt());
        JsonNode outputs = answer.get("outputs");
        assertEquals(
                List.of("stream", "execute_result", "display_data"),
                outputs.findValues("output_type").stream().map(JsonNode::asText).toList());
        assertTrue(outputs.get(1).get("data").has("text/html"));
        assertEquals("iVBORw0KGgo=", outputs.get(2).get("data").get("image/png").asText());
        assertTrue(text(cells.get(4)).contains("stored result"), "a step that was not replayed says so");

        for (JsonNode cell : cells) {
            if (cell.get("cell_type").asText().equals("code")) {
                assertParses(text(cell));
            }
        }
        String loading = text(cells.get(1));
        assertTrue(
                loading.contains("'sales': {'file': 'sales.csv'") && loading.contains("return dfs['sales'], dfs"),
                loading);
    }

    private static String text(JsonNode cell) {
        StringBuilder out = new StringBuilder();
        cell.get("source").forEach(line -> out.append(line.asText()));
        return out.toString();
    }

    /** The code is valid Python 3.11 (the worker's interpreter parses it). */
    private static void assertParses(String code) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import ast, sys; ast.parse(sys.stdin.read())")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(code.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out + "\n" + code);
    }
}
