package io.llmanalytics.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.python.PythonLiterals;
import java.util.List;

/** A result (the worker's typed JSON) as notebook output: plain text, and an HTML table for tables. */
public final class ResultText {

    private ResultText() {}

    public static String plain(JsonNode result) {
        if (result.isTextual()) {
            return PythonLiterals.string(result.asText());
        }
        if (result.isBoolean()) {
            return result.asBoolean() ? "True" : "False";
        }
        if (result.isNull()) {
            return "None";
        }
        if (result.isObject()
                && "object".equals(result.path("type").asText())
                && result.path("repr").isTextual()) {
            return result.path("repr").asText();
        }
        var table = ResultTable.of(result);
        if (table.isPresent()) {
            StringBuilder out = new StringBuilder(String.join("\t", table.get().header()));
            for (List<JsonNode> row : table.get().rows()) {
                out.append('\n');
                for (int i = 0; i < row.size(); i++) {
                    out.append(i > 0 ? "\t" : "").append(cell(row.get(i)));
                }
            }
            if (table.get().truncated()) {
                out.append("\n...");
            }
            return out.toString();
        }
        return result.toString();
    }

    /** An HTML table of a DataFrame or Series result (every value escaped), or null for other results. */
    static String html(JsonNode result) {
        var table = ResultTable.of(result);
        if (table.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder("<table class=\"dataframe\">\n<thead><tr>");
        for (String h : table.get().header()) {
            out.append("<th>").append(escape(h)).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (List<JsonNode> row : table.get().rows()) {
            out.append("<tr>");
            for (JsonNode cell : row) {
                out.append("<td>").append(escape(cell(cell))).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</tbody>\n</table>").toString();
    }

    private static String cell(JsonNode cell) {
        if (cell == null || cell.isNull() || cell.isMissingNode()) {
            return "NaN";
        }
        return cell.isTextual() ? cell.asText() : cell.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
