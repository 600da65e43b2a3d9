package io.llmanalytics.upload.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.DateFormats;
import java.io.IOException;
import java.io.StringWriter;

/**
 * How every JSON reader (JSON arrays, JSON Lines) turns a field's value into a cell: JSON types kept (strings stay
 * text, ISO date strings are dates), booleans as pandas writes them, nested values as their JSON text.
 */
public final class JsonCells {

    private JsonCells() {}

    /** Reads the parser's current value into {@code cells[i]} and {@code kinds[i]}; JSON null becomes {@code nullCell}. */
    public static void read(JsonParser parser, String[] cells, CellKind[] kinds, int i, String nullCell)
            throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case VALUE_NULL -> {
                cells[i] = nullCell;
                kinds[i] = CellKind.NULL;
            }
            case VALUE_NUMBER_INT -> {
                cells[i] = parser.getText();
                kinds[i] =
                        parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? CellKind.BIG_INT : CellKind.INT;
            }
            case VALUE_NUMBER_FLOAT -> {
                cells[i] = parser.getText();
                kinds[i] = CellKind.FLOAT;
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                cells[i] = token == JsonToken.VALUE_TRUE ? "True" : "False";
                kinds[i] = CellKind.BOOL;
            }
            case VALUE_STRING -> {
                String s = parser.getText();
                cells[i] = s;
                kinds[i] =
                        !s.isEmpty() && DateFormats.match(s) == DateFormats.Family.ISO ? CellKind.DATE : CellKind.TEXT;
            }
            default -> {
                StringWriter nested = new StringWriter();
                try (JsonGenerator generator = JsonNumbers.FACTORY.createGenerator(nested)) {
                    generator.copyCurrentStructure(parser);
                }
                cells[i] = nested.toString();
                kinds[i] = CellKind.TEXT;
            }
        }
    }
}
