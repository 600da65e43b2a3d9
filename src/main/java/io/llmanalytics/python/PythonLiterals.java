package io.llmanalytics.python;

import java.util.List;

/**
 * Python literals for code the service writes itself (the offline analyst's code, exported notebooks): text from
 * data or people (column names, values, questions) only ever enters such code through these, never as code.
 */
public final class PythonLiterals {

    private PythonLiterals() {}

    /** A single-quoted Python string literal of {@code text}, any character escaped that needs it. */
    public static String string(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    int type = Character.getType(c);
                    if (c < 0x20
                            || c == 0x7f
                            || type == Character.CONTROL
                            || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR
                            || type == Character.FORMAT
                            || type == Character.SURROGATE) {
                        out.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('\'').toString();
    }

    /** A Python list of string literals. */
    public static String list(List<String> items) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            out.append(i > 0 ? ", " : "").append(string(items.get(i)));
        }
        return out.append(']').toString();
    }

    /** A Python number literal: integers without a fraction, others as Java writes doubles (both are valid Python). */
    public static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
