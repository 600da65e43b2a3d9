package io.llmanalytics.analyst.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Quotes dataset content for a prompt so that it can only be read as data: every column name, cell value and result
 * is a JSON value whose strings escape the characters that could end the surrounding block or fence ({@code <},
 * {@code >}, {@code &}, backtick) and control characters, and long strings are cut with a visible marker.
 */
public final class PromptText {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setCharacterEscapes(new DataEscapes());
    }

    private PromptText() {}

    /** A JSON string literal of {@code text}, cut to {@code max} characters with a marker saying how much was cut. */
    public static String quote(String text, int max) {
        return json(truncate(text, max));
    }

    /** A JSON rendering of a value (number, boolean, null or string; other objects by their string form). */
    public static String value(Object value, int maxString) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return json(value);
        }
        return quote(String.valueOf(value), maxString);
    }

    /** A JSON object of a sample row, every value quoted. */
    public static String row(Map<String, Object> row, int maxString) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> cell : row.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(quote(cell.getKey(), maxString)).append(": ").append(value(cell.getValue(), maxString));
        }
        return out.append('}').toString();
    }

    /** Compact JSON of a result, cut to {@code max} characters with a marker. */
    public static String result(JsonNode result, int max) {
        String text = json(result);
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + " …[result cut: " + (text.length() - max) + " more characters]";
    }

    /** {@code text} cut to {@code max} characters, with a marker when cut. */
    public static String truncate(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, Math.max(0, max)) + "…[+" + (text.length() - max) + " chars]";
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a prompt value", e);
        }
    }

    /** Escapes {@code < > & `} as unicode escapes on top of JSON's own escaping. */
    private static final class DataEscapes extends CharacterEscapes {
        private final int[] escapes;

        DataEscapes() {
            escapes = standardAsciiEscapesForJSON();
            escapes['<'] = ESCAPE_STANDARD;
            escapes['>'] = ESCAPE_STANDARD;
            escapes['&'] = ESCAPE_STANDARD;
            escapes['`'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
