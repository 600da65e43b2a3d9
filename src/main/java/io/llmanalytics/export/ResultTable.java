package io.llmanalytics.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.opencsv.CSVWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * A table result (the worker's typed JSON of a DataFrame or a Series) as rows: the index first when it carries
 * information (a non-default DataFrame index, a Series' labels), then the columns. Cells stay JSON values: numbers
 * and booleans are written as such, text is neutralised against formula injection ({@link FormulaGuard}).
 *
 * @param header the column names
 * @param rows the rows, cells as JSON values
 * @param truncated whether the result had more rows than it holds
 */
public record ResultTable(List<String> header, List<List<JsonNode>> rows, boolean truncated) {

    /** The table of a DataFrame or Series result; empty for anything else (scalars, lists, text...). */
    public static Optional<ResultTable> of(JsonNode result) {
        if (result == null || !result.isObject()) {
            return Optional.empty();
        }
        return switch (result.path("type").asText("")) {
            case "dataframe" -> Optional.of(dataframe(result));
            case "series" -> Optional.of(series(result));
            default -> Optional.empty();
        };
    }

    private static ResultTable dataframe(JsonNode frame) {
        List<String> header = new ArrayList<>();
        JsonNode index = frame.path("index");
        boolean hasIndex = index.isArray();
        if (hasIndex) {
            JsonNode names = frame.path("index_names");
            int levels = Math.max(1, names.size());
            for (int i = 0; i < levels; i++) {
                JsonNode n = names.path(i);
                header.add(n.isTextual() ? n.asText() : levels == 1 ? "index" : "level_" + i);
            }
            if (levels > 1) {
                header.subList(1, header.size()).clear(); // tuple labels arrive as one "(a, b)" text
            }
        }
        List<String> columns = new ArrayList<>();
        frame.path("columns").forEach(c -> columns.add(c.asText()));
        header.addAll(columns);
        List<List<JsonNode>> rows = new ArrayList<>();
        JsonNode data = frame.path("data");
        for (int r = 0; r < data.size(); r++) {
            List<JsonNode> row = new ArrayList<>();
            if (hasIndex) {
                row.add(index.path(r));
            }
            for (String c : columns) {
                row.add(data.get(r).path(c));
            }
            rows.add(row);
        }
        return new ResultTable(header, rows, frame.path("truncated").asBoolean(false));
    }

    private static ResultTable series(JsonNode series) {
        JsonNode names = series.path("index_names");
        String label =
                names.size() == 1 && names.get(0).isTextual() ? names.get(0).asText() : "index";
        String value = series.path("name").isTextual() ? series.path("name").asText() : "value";
        List<List<JsonNode>> rows = new ArrayList<>();
        JsonNode data = series.path("data");
        if (data.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                rows.add(List.of(TextNode.valueOf(e.getKey()), e.getValue()));
            }
        } else {
            data.forEach(pair -> rows.add(List.of(pair.path(0), pair.path(1))));
        }
        return new ResultTable(
                List.of(label, value), rows, series.path("truncated").asBoolean(false));
    }

    /** RFC 4180 CSV, UTF-8. */
    public byte[] csv() {
        StringWriter text = new StringWriter();
        try (CSVWriter writer =
                new CSVWriter(text, ',', CSVWriter.DEFAULT_QUOTE_CHARACTER, CSVWriter.DEFAULT_ESCAPE_CHARACTER, "\n")) {
            writer.writeNext(header.stream().map(FormulaGuard::neutralise).toArray(String[]::new), false);
            for (List<JsonNode> row : rows) {
                writer.writeNext(row.stream().map(ResultTable::csvCell).toArray(String[]::new), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String csvCell(JsonNode cell) {
        if (cell == null || cell.isNull() || cell.isMissingNode()) {
            return "";
        }
        if (cell.isNumber() || cell.isBoolean()) {
            return cell.asText();
        }
        return FormulaGuard.neutralise(cell.isTextual() ? cell.asText() : cell.toString());
    }

    /** An XLSX workbook with one sheet: numbers and booleans as such, text neutralised. Blocking (POI). */
    public byte[] xlsx(String sheetName) {
        try (XSSFWorkbook workbook = new XSSFWorkbook();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = workbook.createSheet(DatasetExporter.sheetName(sheetName));
            Row first = sheet.createRow(0);
            for (int i = 0; i < header.size(); i++) {
                first.createCell(i).setCellValue(FormulaGuard.neutralise(header.get(i)));
            }
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.createRow(r + 1);
                List<JsonNode> cells = rows.get(r);
                for (int c = 0; c < cells.size(); c++) {
                    JsonNode cell = cells.get(c);
                    if (cell == null || cell.isNull() || cell.isMissingNode()) {
                        continue;
                    }
                    Cell target = row.createCell(c);
                    if (cell.isNumber()) {
                        target.setCellValue(cell.asDouble());
                    } else if (cell.isBoolean()) {
                        target.setCellValue(cell.asBoolean());
                    } else {
                        target.setCellValue(
                                FormulaGuard.neutralise(cell.isTextual() ? cell.asText() : cell.toString()));
                    }
                }
            }
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
