package io.llmanalytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Hostile code. The validator's own set (hostile/validator-cases.json) must be refused exactly where it says
 * {@code stopped}; the worker's set (hostile/cases.json, when present) is only counted: the worker is the boundary,
 * the validator reports how much of it it stops alone. Figures go to target/validator-hostile-report.txt.
 */
class HostileCodeTest {

    @Test
    void validatorCasesAreStoppedWhereExpected() throws IOException {
        JsonNode cases = TestData.resourceJson("hostile/validator-cases.json").path("cases");
        assertTrue(cases.size() >= 60, "at least 60 hostile cases");
        List<String> wrong = new ArrayList<>();
        Map<String, int[]> byCategory = new TreeMap<>();
        int stopped = 0;
        for (JsonNode item : cases) {
            Verdict verdict = SharedPool.check(item.path("code").asText());
            boolean expected = item.path("stopped").asBoolean();
            if (verdict.ok() == expected) {
                wrong.add(item.path("id").asText() + " -> " + verdict.violations());
            }
            int[] counts = byCategory.computeIfAbsent(item.path("category").asText(), k -> new int[2]);
            counts[1]++;
            if (!verdict.ok()) {
                counts[0]++;
                stopped++;
            }
        }
        report("validator-cases.json", stopped, cases.size(), byCategory);
        assertEquals(List.of(), wrong);
    }

    @Test
    void workerCasesAreCountedWhenPresent() throws IOException {
        JsonNode cases = workerCases();
        if (cases == null) {
            Log.info("hostile/cases.json (the worker's hostile cases) is not on this branch: nothing to count");
            return;
        }
        Map<String, int[]> byCategory = new TreeMap<>();
        int stopped = 0;
        int total = 0;
        for (JsonNode item : cases.isArray() ? cases : cases.path("cases")) {
            String code = item.path("code").asText(null);
            if (code == null) {
                continue;
            }
            Verdict verdict = SharedPool.check(code);
            int[] counts = byCategory.computeIfAbsent(item.path("category").asText("uncategorised"), k -> new int[2]);
            counts[1]++;
            total++;
            if (!verdict.ok()) {
                counts[0]++;
                stopped++;
            }
        }
        report("cases.json", stopped, total, byCategory);
        assertTrue(total > 0, "the worker's hostile file has cases with code");
    }

    private static JsonNode workerCases() throws IOException {
        try (InputStream in = HostileCodeTest.class.getClassLoader().getResourceAsStream("hostile/cases.json")) {
            return in == null ? null : TestData.JSON.readTree(in);
        }
    }

    private static void report(String file, int stopped, int total, Map<String, int[]> byCategory) throws IOException {
        StringBuilder text =
                new StringBuilder(String.format("%s: the validator alone stops %d of %d%n", file, stopped, total));
        byCategory.forEach(
                (category, counts) -> text.append(String.format("  %-16s %d/%d%n", category, counts[0], counts[1])));
        Log.info(text.toString().strip());
        Path out = Path.of("target", "validator-hostile-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(
                out,
                text.toString(),
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }
}
