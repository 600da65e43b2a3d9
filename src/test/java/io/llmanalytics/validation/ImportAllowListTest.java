package io.llmanalytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analyst.openai.AllowedModules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java reader of the import allow-list reads the shared tricky fixture exactly as the Python parser does
 * ({@code src/test/python/test_policy.py} {@code SharedParserTest} reads the same files), and refuses the same lines.
 */
class ImportAllowListTest {

    private static final Path FIXTURES = Path.of("src", "test", "resources", "policy");

    @Test
    void readsTheTrickyFileAsThePythonParserDoes() throws IOException {
        String text = Files.readString(FIXTURES.resolve("tricky-allowed-modules.txt"), StandardCharsets.UTF_8);
        List<String> expected = Arrays.asList(
                Files.readString(FIXTURES.resolve("tricky-allowed-modules.expected.txt"), StandardCharsets.UTF_8)
                        .strip()
                        .split("\n"));
        assertEquals(expected, ImportAllowList.parse(text));
    }

    @Test
    void refusesTheSameInvalidLines() throws IOException {
        String[] lines = new ObjectMapper()
                .readValue(FIXTURES.resolve("invalid-allow-list-lines.json").toFile(), String[].class);
        assertFalse(lines.length == 0);
        for (String line : lines) {
            assertThrows(IllegalArgumentException.class, () -> ImportAllowList.parse("math\n" + line + "\n"), line);
        }
    }

    @Test
    void thePromptAndThePolicyDescriptionReadTheShippedFileThroughIt() {
        List<String> entries = ImportAllowList.load();
        PolicySources sources = PolicySources.load();
        assertEquals(entries, sources.describe(1000).allowedModules());
        List<String> expected = entries.stream()
                .filter(e -> !e.startsWith("!"))
                .map(e -> e.endsWith(".*") ? e.substring(0, e.length() - 2) : e)
                .toList();
        List<String> names = AllowedModules.names();
        assertFalse(names.isEmpty());
        for (String name : names) {
            assertEquals(true, expected.contains(name), name);
        }
    }
}
