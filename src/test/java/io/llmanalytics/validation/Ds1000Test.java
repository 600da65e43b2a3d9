package io.llmanalytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No false alarms on real analysis code: the 291 DS-1000 pandas reference solutions.
 *
 * <p>
 * Each solution is validated as the program the problem's harness runs: its {@code exec_context} with
 * {@code [insert]} replaced by the solution. That is fair to solutions that never assign {@code result} themselves
 * (114 of them: they modify {@code df}, or define {@code f}, and the harness adds {@code result = df} or
 * {@code result = f(df)}), and to the 16 that are function bodies indented to fit inside the harness's
 * {@code def f(df):}. The harness lines themselves use only {@code import pandas/numpy/io} and names.
 */
class Ds1000Test {

    private static final Pattern EXEC_CONTEXT = Pattern.compile("exec_context = r\"\"\"(.*?)\"\"\"", Pattern.DOTALL);

    /** The solutions that genuinely need a forbidden feature, with the rule they break. */
    private static final Map<Integer, String> EXCEPTIONS = Map.of(
            15, "import-not-allowed", // `import yaml` to parse strings with yaml.safe_load: yaml is not on the
            // allow-list
            88, "forbidden-builtin", // eval() of a cell value to turn '7' into 7
            104, "forbidden-builtin"); // eval() of a cell value such as '1 & 0' to compute it

    @Test
    void referenceSolutionsPassExceptThoseThatNeedForbiddenFeatures() throws IOException {
        Map<Integer, String> refused = new TreeMap<>();
        int total = 0;
        for (String line : Files.readAllLines(TestData.corpus().resolve("ds1000-pandas/problems.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode problem = TestData.JSON.readTree(line);
            int id = problem.path("metadata").path("problem_id").asInt();
            Matcher context = EXEC_CONTEXT.matcher(problem.path("code_context").asText());
            if (!context.find()) {
                throw new IllegalStateException("problem " + id + " has no exec_context");
            }
            String program = context.group(1)
                    .replace("[insert]", problem.path("reference_code").asText());
            Verdict verdict = SharedPool.check(program);
            total++;
            if (!verdict.ok()) {
                refused.put(id, String.join(",", verdict.rules()));
                Log.infof("DS-1000 problem %d refused: %s", id, verdict.feedback());
            }
        }
        assertEquals(291, total);
        assertEquals(new TreeMap<>(EXCEPTIONS), refused);
    }
}
