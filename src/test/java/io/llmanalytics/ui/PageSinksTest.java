package io.llmanalytics.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The page never parses text as HTML or markdown: no script of it writes markup from a string (innerHTML,
 * outerHTML, insertAdjacentHTML, document.write, DOMParser, createContextualFragment, srcdoc) or evaluates one, and
 * none uses a markdown renderer. Text from the model, the user or the data reaches the page through textContent and
 * text nodes only (dom.js); the browser scenarios (safety.mjs) show it on hostile answers.
 */
class PageSinksTest {

    static final Path PAGE = Path.of("src/main/resources/META-INF/resources");
    static final Pattern SINK = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|DOMParser"
            + "|createContextualFragment|srcdoc|\\beval\\s*\\(|new\\s+Function\\s*\\(|\\bmarked\\s*[.(]|markdown-?it|showdown"
            + "|javascript:");

    @Test
    void noScriptOfThePageTurnsTextIntoMarkup() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.walk(PAGE)) {
            scripts = files.filter(
                            p -> p.toString().endsWith(".js") || p.toString().endsWith(".html"))
                    .toList();
        }
        assertTrue(scripts.size() >= 10, "the page's scripts are found: " + scripts);
        List<String> found = new ArrayList<>();
        for (Path script : scripts) {
            String[] lines = Files.readString(script).split("\n");
            for (int i = 0; i < lines.length; i++) {
                Matcher m = SINK.matcher(lines[i]);
                if (m.find()) {
                    found.add(script.getFileName() + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
