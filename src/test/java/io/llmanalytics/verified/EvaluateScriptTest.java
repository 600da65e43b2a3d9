package io.llmanalytics.verified;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/evaluate} (Debian's Python, standard library only) against the test service and its offline analyst, on a
 * JSONL built for it: two right answers (a plain number and DABench's {@code @name[value]} form rounded to two
 * decimals), one wrong expectation, one question declined, one table that cannot be uploaded; the counts it prints
 * and the outcomes file it writes.
 */
@QuarkusTest
class EvaluateScriptTest {

    @TestHTTPResource("/")
    URL service;

    @TempDir
    Path dir;

    @Test
    void printsRightDeclinedWrongAndNotRun() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("sales.csv"), "region,amount\nNorth,10\nSouth,20\nNorth,5\n");
        Files.write(
                dir.resolve("questions.jsonl"),
                List.of(
                        "{\"table\": \"sales.csv\", \"question\": \"What is the total amount?\", \"expected\": 35}",
                        "{\"table\": \"sales.csv\", \"question\": \"What is the mean amount?\","
                                + " \"expected\": \"@mean_amount[11.67]\"}",
                        "{\"table\": \"sales.csv\", \"question\": \"What is the total amount?\", \"expected\": 36}",
                        "{\"table\": \"sales.csv\", \"question\": \"Zorblax the frobnicator quantum?\", \"expected\": 1}",
                        "{\"table\": \"absent.csv\", \"question\": \"What is the total amount?\", \"expected\": 35}"),
                StandardCharsets.UTF_8);
        Path out = dir.resolve("outcomes.jsonl");
        Process process = new ProcessBuilder(
                        "/usr/bin/python3",
                        "bin/evaluate",
                        "--url",
                        service.toString(),
                        "--out",
                        out.toString(),
                        dir.resolve("questions.jsonl").toString())
                .redirectError(dir.resolve("progress.txt").toFile())
                .start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "bin/evaluate did not end");
        String progress = Files.readString(dir.resolve("progress.txt"));
        assertEquals(0, process.exitValue(), printed + progress);
        assertTrue(
                printed.contains("questions: 5  asked: 4  right: 2  partial: 0  declined: 1  wrong: 1  not run: 1"),
                printed + progress);
        assertTrue(printed.contains("accuracy: 50.0% of the asked questions right"), printed);
        assertTrue(printed.contains("not run (1): upload refused"), printed);

        List<String> outcomes = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            JsonNode record = json.readTree(line);
            outcomes.add(record.get("outcome").asText());
        }
        assertEquals(List.of("right", "right", "wrong", "declined", "not_run"), outcomes);
    }
}
