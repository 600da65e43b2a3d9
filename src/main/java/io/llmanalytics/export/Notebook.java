package io.llmanalytics.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmanalytics.python.PythonLiterals;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.session.DatasetDocument;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a session as a Jupyter notebook (nbformat 4.5): a markdown cell saying which dataset files to put next to
 * the notebook (the service's CSV exports), a code cell that loads them with the stored dtypes and date columns as
 * the worker does, then per answered question a markdown cell (question and interpretation) and a code cell (the
 * code, between a fresh copy of the data and a display of {@code result}) with its outputs. Pure: no I/O.
 */
public final class Notebook {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answered question: the history entry's text and what running its code gave. */
    public record Step(
            String id,
            String question,
            String interpretation,
            String code,
            String stdout,
            JsonNode result,
            List<String> pngCharts,
            boolean replayed) {}

    private final ArrayNode cells = JSON.createArrayNode();
    private static final Pattern STEP_HEADER = Pattern.compile("\\n+(?=# Step \\d+: )");
    private int executionCount;

    /** The notebook of a session's datasets and steps, as JSON bytes. */
    public static byte[] write(String sessionId, List<DatasetDocument> datasets, List<Step> steps) {
        Notebook notebook = new Notebook();
        notebook.introduction(sessionId, datasets);
        notebook.loading(datasets);
        steps.forEach(notebook::step);
        ObjectNode root = JSON.createObjectNode();
        root.put("nbformat", 4).put("nbformat_minor", 5);
        ObjectNode meta = root.putObject("metadata");
        meta.putObject("kernelspec")
                .put("name", "python3")
                .put("display_name", "Python 3")
                .put("language", "python");
        meta.putObject("language_info").put("name", "python");
        root.set("cells", notebook.cells);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file a dataset's CSV export is saved as (the name {@code GET .../export?dataset=} gives it). */
    public static String fileName(DatasetDocument dataset) {
        return dataset.name().replaceAll("[^\\p{L}\\p{N}._ -]", "_") + ".csv";
    }

    private void introduction(String sessionId, List<DatasetDocument> datasets) {
        StringBuilder md = new StringBuilder("# Analysis session ")
                .append(MarkdownText.escapeLine(sessionId))
                .append("\n\n")
                .append("Put these files next to this notebook before running it (the service's CSV exports of the ")
                .append("session's datasets):\n\n");
        for (DatasetDocument d : datasets) {
            md.append("- `")
                    .append(fileName(d).replace('`', '\''))
                    .append("`: `GET /api/session/")
                    .append(sessionId)
                    .append("/export?dataset=")
                    .append(URLEncoder.encode(d.name(), StandardCharsets.UTF_8))
                    .append("&format=csv`")
                    .append(d.isDefault() ? " (`df`)" : "")
                    .append(", ")
                    .append(d.schema().rows())
                    .append(" rows\n");
        }
        md.append("\nEvery answer below starts from a fresh copy of the data, as in the service; `result` is what ")
                .append("each answer computed.");
        markdown(md.toString()); // names and URLs are in code spans, where markdown and HTML are text
    }

    private void loading(List<DatasetDocument> datasets) {
        StringBuilder py = new StringBuilder();
        py.append("import datetime\nimport math\nimport statistics\n\nimport matplotlib.pyplot as plt\n")
                .append("import numpy as np\nimport pandas as pd\n\n");
        py.append(
                "# The stored schema of every dataset: the CSV exports load with exactly the dtypes the answers saw.\n");
        py.append("DATASETS = {\n");
        String defaultName = datasets.stream()
                .filter(DatasetDocument::isDefault)
                .map(DatasetDocument::name)
                .findFirst()
                .orElse(datasets.get(0).name());
        for (DatasetDocument d : datasets) {
            DatasetSchema s = d.schema();
            List<String> dates = s.dateColumns();
            py.append("    ")
                    .append(PythonLiterals.string(d.name()))
                    .append(": {'file': ")
                    .append(PythonLiterals.string(fileName(d)))
                    .append(", 'columns': ")
                    .append(PythonLiterals.list(s.columnNames()))
                    .append(",\n        'dtype': {");
            boolean first = true;
            for (Map.Entry<String, String> e : s.dataTypes().entrySet()) {
                if (dates.contains(e.getKey()) || e.getValue().startsWith("datetime")) {
                    continue;
                }
                py.append(first ? "" : ", ")
                        .append(PythonLiterals.string(e.getKey()))
                        .append(": ")
                        .append(PythonLiterals.string(e.getValue()));
                first = false;
            }
            py.append("},\n        'parse_dates': ")
                    .append(PythonLiterals.list(dates))
                    .append("},\n");
        }
        py.append("}\n\n");
        py.append("""
                def _unguard(value):
                    # the CSV export prefixes text starting with = + - @ (or a tab) with ' against formula injection
                    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in '=+-@\\t\\r':
                        return value[1:]
                    return value


                def _load(spec):
                    frame = pd.read_csv(spec['file'], header=0, names=spec['columns'], dtype=spec['dtype'],
                                        parse_dates=spec['parse_dates'] or False, keep_default_na=False,
                                        na_values=[''], encoding='utf-8')
                    for column in spec['parse_dates']:
                        if not pd.api.types.is_datetime64_any_dtype(frame[column]):
                            frame[column] = pd.to_datetime(frame[column], errors='coerce')
                    for column, dtype in spec['dtype'].items():
                        if dtype == 'object':
                            frame[column] = frame[column].map(_unguard)
                    return frame


                _LOADED = {name: _load(spec) for name, spec in DATASETS.items()}


                def fresh():
                    \"\"\"df (the default dataset) and dfs (all by name), as a fresh copy: answers do not see each other's changes.\"\"\"
                    dfs = {name: frame.copy() for name, frame in _LOADED.items()}
                """);
        py.append("    return dfs[").append(PythonLiterals.string(defaultName)).append("], dfs\n");
        code(py.toString(), JSON.createArrayNode(), null);
    }

    private void step(Step step) {
        StringBuilder md = new StringBuilder("## ")
                .append(MarkdownText.escapeLine(step.question().strip()))
                .append("\n\n");
        if (step.interpretation() != null && !step.interpretation().isBlank()) {
            md.append(MarkdownText.escape(step.interpretation().strip())).append("\n\n");
        }
        if (!step.replayed()) {
            md.append("*(The outputs below are the stored result: the code could not be run again for this export.)*");
        }
        markdown(md.toString().strip());
        // a multi-step analysis (its steps' code, each headed "# Step k: goal"): one cell per step, the stored
        // output under the last
        List<String> parts = List.of(STEP_HEADER.split(step.code().strip()));
        String first = "df, dfs = fresh()\nresult = None\n";
        for (int i = 0; i < parts.size() - 1; i++) {
            code((i == 0 ? first : "") + parts.get(i).strip() + "\nresult", JSON.createArrayNode(), ++executionCount);
        }
        String source =
                (parts.size() == 1 ? first : "") + parts.get(parts.size() - 1).strip() + "\nresult";
        int count = ++executionCount;
        ArrayNode outputs = JSON.createArrayNode();
        if (step.stdout() != null && !step.stdout().isEmpty()) {
            ObjectNode stream = outputs.addObject().put("output_type", "stream").put("name", "stdout");
            stream.set("text", lines(step.stdout()));
        }
        if (step.result() != null && !step.result().isNull()) {
            ObjectNode result =
                    outputs.addObject().put("output_type", "execute_result").put("execution_count", count);
            ObjectNode data = result.putObject("data");
            data.set("text/plain", lines(ResultText.plain(step.result())));
            String html = ResultText.html(step.result());
            if (html != null) {
                data.set("text/html", lines(html));
            }
            result.putObject("metadata");
        }
        for (String png : step.pngCharts()) {
            ObjectNode display = outputs.addObject().put("output_type", "display_data");
            display.putObject("data").put("image/png", png).set("text/plain", lines("<Figure>"));
            display.putObject("metadata");
        }
        code(source, outputs, count);
    }

    private void markdown(String text) {
        ObjectNode cell = cells.addObject().put("cell_type", "markdown").put("id", "cell-" + cells.size());
        cell.putObject("metadata");
        cell.set("source", lines(text));
    }

    private void code(String source, ArrayNode outputs, Integer count) {
        ObjectNode cell = cells.addObject().put("cell_type", "code").put("id", "cell-" + cells.size());
        if (count == null) {
            cell.putNull("execution_count");
        } else {
            cell.put("execution_count", count);
        }
        cell.putObject("metadata");
        cell.set("source", lines(source));
        cell.set("outputs", outputs);
    }

    /** Notebook text: a list of lines, each but the last ending with a newline. */
    private static ArrayNode lines(String text) {
        ArrayNode out = JSON.createArrayNode();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                out.add(text.substring(start));
                break;
            }
            out.add(text.substring(start, end + 1));
            start = end + 1;
        }
        return out;
    }
}
