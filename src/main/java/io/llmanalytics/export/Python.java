package io.llmanalytics.export;

import java.util.List;

/** Python source literals for generated notebooks. */
final class Python {

    private Python() {
    }

    /** A single-quoted Python string literal of {@code text}, any character escaped that needs it. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder("'");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    int type = Character.getType(c);
                    if (c < 0x20 || type == Character.CONTROL || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT
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
    static String list(List<String> items) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            out.append(i > 0 ? ", " : "").append(literal(items.get(i)));
        }
        return out.append(']').toString();
    }
}
