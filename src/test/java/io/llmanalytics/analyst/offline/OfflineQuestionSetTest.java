package io.llmanalytics.analyst.offline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The offline analyst against a question set of people's questions (typos, follow-ups) over ten DABench tables and a
 * generated sales table, through the public API (upload, then {@code POST /analyze} in JSON mode; the default test
 * profile has no language model, so the offline analyst answers). Expected answers are computed independently with
 * pandas by {@code src/test/python/offline_questions.py}.
 *
 * <p>Each question ends as correct, wrong (an answer that does not match), refused ({@code question-not-understood})
 * or error. At least 90% of the answerable questions must be answered correctly, none wrongly, and every question
 * that cannot be answered without guessing must be refused. The figures and every miss are written to
 * {@code target/offline-question-set.txt}.
 */
@QuarkusTest
class OfflineQuestionSetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The batch of the held-out questions written for issue 14 after the rest was done. */
    static final int HELD_OUT = 3;
    /**
     * The batch written after the trust fixes of issue 14's held-out misses (sums of rates, counts of repeating names,
     * superlatives), before any code change for it; reported on its own, not gated. First run (with the fixes of batch 3's misses in, before any change for this batch):
     * 36 answerable: 25 correct, 1 wrong ("how many regions?" gave 12, the rows of the attached reps table), 10 not
     * understood; 13 probes: 11 refused (answered: "total bmi" 41,028 and "total Engineering" 541.5 of a table of
     * percentages).
     */
    static final int HUNT = 4;

    enum Outcome {
        CORRECT,
        WRONG,
        REFUSED,
        ERROR
    }

    record Asked(
            String dataset,
            String question,
            boolean answerable,
            Outcome outcome,
            String detail,
            String interpretation,
            int batch) {

        Asked inBatch(int b) {
            return new Asked(dataset, question, answerable, outcome, detail, interpretation, b);
        }
    }

    @Test
    void answersPeoplesQuestionsCorrectlyAndNeverWrongly() throws Exception {
        Path sales = Path.of("target", "offline-sales.csv").toAbsolutePath();
        Files.createDirectories(sales.getParent());
        Files.writeString(sales, TestTables.salesCsv(), StandardCharsets.UTF_8);
        JsonNode set = JSON.readTree(
                expectations(sales, Path.of("target", "offline-tables").toAbsolutePath()));

        List<Asked> asked = new ArrayList<>();
        for (JsonNode dataset : set.get("datasets")) {
            String name = dataset.get("upload_name").asText();
            Response upload = given().multiPart(
                            "file",
                            name,
                            Files.readAllBytes(Path.of(dataset.get("file").asText())))
                    .when()
                    .post("/api/session/create");
            assertEquals(201, upload.statusCode(), () -> name + ": " + upload.asString());
            String session = upload.jsonPath().getString("session_id");
            for (JsonNode attach : dataset.path("attach")) {
                String other = attach.get("upload_name").asText();
                Response added = given().multiPart(
                                "file",
                                other,
                                Files.readAllBytes(Path.of(attach.get("file").asText())))
                        .when()
                        .post("/api/session/" + session + "/datasets");
                assertTrue(added.statusCode() / 100 == 2, () -> other + ": " + added.asString());
            }
            for (JsonNode q : dataset.get("questions")) {
                asked.add(ask(name, session, q).inBatch(q.path("batch").asInt()));
            }
        }

        // batches 3 and 4 are held out: reported on their own, not part of the gates
        List<Asked> developed = asked.stream().filter(a -> a.batch() < HELD_OUT).toList();
        List<Asked> answerable = developed.stream().filter(Asked::answerable).toList();
        List<Asked> probes = developed.stream().filter(a -> !a.answerable()).toList();
        long correct =
                answerable.stream().filter(a -> a.outcome() == Outcome.CORRECT).count();
        long wrong =
                answerable.stream().filter(a -> a.outcome() == Outcome.WRONG).count();
        long refused =
                answerable.stream().filter(a -> a.outcome() == Outcome.REFUSED).count();
        long errors =
                answerable.stream().filter(a -> a.outcome() == Outcome.ERROR).count();
        long probesRefused =
                probes.stream().filter(a -> a.outcome() == Outcome.REFUSED).count();
        long tables = developed.stream().map(Asked::dataset).distinct().count();
        String report =
                report(asked, answerable.size(), correct, wrong, refused, errors, probes.size(), probesRefused, tables);
        Files.writeString(Path.of("target", "offline-question-set.txt"), report, StandardCharsets.UTF_8);
        System.out.println(report);

        assertTrue(developed.size() >= 300, "at least 300 questions: " + developed.size());
        assertTrue(tables >= 12, "at least 12 tables: " + tables);
        assertEquals(0, wrong, "no question answered wrongly:\n" + report);
        assertEquals(probes.size(), probesRefused, "every unanswerable question refused:\n" + report);
        assertTrue(correct >= Math.ceil(0.85 * answerable.size()), "at least 85% correct:\n" + report);
    }

    private static String expectations(Path sales, Path tables) throws IOException, InterruptedException {
        Process python = new ProcessBuilder(
                        "/usr/bin/python3", "src/test/python/offline_questions.py", sales.toString(), tables.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(120, TimeUnit.SECONDS), "the expectations script finished");
        assertEquals(0, python.exitValue(), "the expectations script succeeded");
        return out;
    }

    private static Asked ask(String dataset, String session, JsonNode q) {
        String question = q.get("question").asText();
        JsonNode expect = q.get("expect");
        boolean answerable = !"refuse".equals(expect.get("kind").asText());
        Response r = given().contentType("application/json")
                .accept("application/json")
                .body(Map.of("question", question))
                .when()
                .post("/api/session/" + session + "/analyze");
        if (r.statusCode() == 422 && r.asString().contains("question-not-understood")) {
            return new Asked(
                    dataset, question, answerable, Outcome.REFUSED, r.jsonPath().getString("detail"), null, 0);
        }
        if (r.statusCode() != 200) {
            return new Asked(
                    dataset, question, answerable, Outcome.ERROR, r.statusCode() + " " + r.asString(), null, 0);
        }
        JsonNode done = json(r.asString());
        if (done.path("clarification").isObject()) {
            // asked back instead of answered: graded as a decline, and each option offered must then be answered
            String unanswered =
                    unansweredOption(session, done.path("clarification").path("options"));
            return new Asked(
                    dataset,
                    question,
                    answerable,
                    unanswered == null ? Outcome.REFUSED : Outcome.ERROR,
                    unanswered == null
                            ? "asked back: " + done.path("clarification")
                            : "an option of its clarification was not answered: " + unanswered,
                    null,
                    0);
        }
        String interpretation = done.path("interpretation").asText();
        if (!answerable) {
            return new Asked(
                    dataset,
                    question,
                    false,
                    Outcome.WRONG,
                    "answered instead of refused: " + done.path("raw_result"),
                    interpretation,
                    0);
        }
        String problem = check(expect, done.path("raw_result"));
        if (problem == null
                && q.path("chart").asBoolean()
                && done.path("charts").isEmpty()) {
            problem = "a chart was asked for and none was drawn";
        }
        if (problem == null
                && !"offline".equals(done.path("usage").path("analyst").asText())) {
            problem = "answered by " + done.path("usage").path("analyst");
        }
        if (problem == null && !done.path("grounding").path("ok").asBoolean(true)) {
            problem = "ungrounded interpretation: " + done.path("grounding");
        }
        return new Asked(
                dataset, question, true, problem == null ? Outcome.CORRECT : Outcome.WRONG, problem, interpretation, 0);
    }

    /** The first option of a clarification that is not answered (offline, with a result), or null. */
    private static String unansweredOption(String session, JsonNode options) {
        if (options.size() < 2) {
            return "fewer than two options: " + options;
        }
        for (JsonNode option : options) {
            Response r = given().contentType("application/json")
                    .accept("application/json")
                    .body(Map.of("question", option.asText()))
                    .when()
                    .post("/api/session/" + session + "/analyze");
            JsonNode done = r.statusCode() == 200 ? json(r.asString()) : null;
            if (done == null
                    || !done.path("clarification").isNull()
                    || done.path("raw_result").isNull()
                    || !"offline".equals(done.path("usage").path("analyst").asText())) {
                return option.asText() + " (" + r.statusCode() + ")";
            }
        }
        return null;
    }

    /** Null when the result matches the expectation, else what differs. */
    static String check(JsonNode expect, JsonNode result) {
        String kind = expect.get("kind").asText();
        switch (kind) {
            case "number" -> {
                JsonNode want = expect.get("value");
                if (want.isNull()) {
                    return result.isNull() ? null : "expected no value, got " + result;
                }
                return result.isNumber() && close(result.asDouble(), want.asDouble())
                        ? null
                        : "expected " + want + ", got " + abbreviate(result);
            }
            case "mapping", "keys" -> {
                Map<String, JsonNode> got = series(result);
                if (got == null) {
                    return "expected a series, got " + abbreviate(result);
                }
                List<String> wantKeys = new ArrayList<>();
                if (kind.equals("keys")) {
                    expect.get("values").forEach(v -> wantKeys.add(v.asText()));
                } else {
                    expect.get("value").fieldNames().forEachRemaining(wantKeys::add);
                }
                if (!new java.util.TreeSet<>(got.keySet()).equals(new java.util.TreeSet<>(wantKeys))) {
                    return "labels differ: expected " + wantKeys + ", got " + got.keySet();
                }
                if (kind.equals("mapping")) {
                    for (String k : wantKeys) {
                        JsonNode w = expect.get("value").get(k);
                        JsonNode g = got.get(k);
                        boolean same = w.isNull() ? g.isNull() : g.isNumber() && close(g.asDouble(), w.asDouble());
                        if (!same) {
                            return "value of " + k + ": expected " + w + ", got " + g;
                        }
                    }
                }
                return null;
            }
            case "first" -> {
                Map<String, JsonNode> got = series(result);
                if (got == null) {
                    return "expected a series, got " + abbreviate(result);
                }
                List<String> labels = new ArrayList<>(got.keySet());
                List<String> want = new ArrayList<>();
                expect.get("labels").forEach(l -> want.add(l.asText()));
                return labels.size() >= want.size()
                                && labels.subList(0, want.size()).equals(want)
                        ? null
                        : "expected first " + want + ", got " + labels;
            }
            case "first_in" -> {
                Map<String, JsonNode> got = series(result);
                if (got == null || got.isEmpty()) {
                    return "expected a series, got " + abbreviate(result);
                }
                String firstLabel = got.keySet().iterator().next();
                for (JsonNode l : expect.get("labels")) {
                    if (l.asText().equals(firstLabel)) {
                        return null;
                    }
                }
                return "expected one of " + expect.get("labels") + " first, got " + got.keySet();
            }
            case "rows", "row_in" -> {
                if (!"dataframe".equals(result.path("type").asText())) {
                    return "expected a table, got " + abbreviate(result);
                }
                String column = expect.get("column").asText();
                JsonNode data = result.path("data");
                JsonNode values = expect.get("values");
                if (kind.equals("row_in")) {
                    String first = data.path(0).path(column).asText(null);
                    for (JsonNode v : values) {
                        if (v.asText().equals(first)) {
                            return null;
                        }
                    }
                    return "expected one of " + values + " first, got " + first;
                }
                for (int i = 0; i < values.size(); i++) {
                    JsonNode g = data.path(i).path(column);
                    JsonNode w = values.get(i);
                    boolean same = w.isNumber()
                            ? g.isNumber() && close(g.asDouble(), w.asDouble())
                            : w.asText().equals(g.asText());
                    if (!same) {
                        return "row " + i + " " + column + ": expected " + w + ", got " + g;
                    }
                }
                return null;
            }
            default -> throw new IllegalArgumentException("unknown expectation " + kind);
        }
    }

    /** The labels and values of a series result, in order; null for other results. */
    static Map<String, JsonNode> series(JsonNode result) {
        if (!"series".equals(result.path("type").asText())) {
            return null;
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        JsonNode data = result.path("data");
        if (data.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                entries.put(e.getKey(), e.getValue());
            }
        } else {
            data.forEach(pair -> entries.put(pair.get(0).asText(), pair.get(1)));
        }
        return entries;
    }

    private static boolean close(double got, double want) {
        return Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want));
    }

    private static String abbreviate(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String report(
            List<Asked> asked,
            long answerable,
            long correct,
            long wrong,
            long refused,
            long errors,
            long probes,
            long probesRefused,
            long tables) {
        StringBuilder out = new StringBuilder("Offline analyst question set\n");
        out.append(String.format(
                Locale.ROOT,
                "All: %d tables; %d answerable questions: %d correct (%.1f%%), %d wrong,"
                        + " %d not understood, %d errors; %d unanswerable probes: %d refused%n",
                tables,
                answerable,
                correct,
                100.0 * correct / answerable,
                wrong,
                refused,
                errors,
                probes,
                probesRefused));
        for (int batch = 1; batch <= HUNT; batch++) {
            int b = batch;
            List<Asked> held = asked.stream().filter(a -> a.batch() == b).toList();
            List<Asked> heldAnswerable = held.stream().filter(Asked::answerable).toList();
            out.append(String.format(
                    Locale.ROOT,
                    (b == HUNT
                                    ? "Hunt batch after the trust fixes (batch %d, not gated)"
                                    : b == HELD_OUT
                                            ? "Held-out set of issue 14 (batch %d, not gated)"
                                            : "Held-out batch %d")
                            + ": %d answerable: %d correct, %d wrong, %d not"
                            + " understood, %d errors; %d probes: %d refused%n",
                    batch,
                    heldAnswerable.size(),
                    heldAnswerable.stream()
                            .filter(a -> a.outcome() == Outcome.CORRECT)
                            .count(),
                    heldAnswerable.stream()
                            .filter(a -> a.outcome() == Outcome.WRONG)
                            .count(),
                    heldAnswerable.stream()
                            .filter(a -> a.outcome() == Outcome.REFUSED)
                            .count(),
                    heldAnswerable.stream()
                            .filter(a -> a.outcome() == Outcome.ERROR)
                            .count(),
                    held.size() - heldAnswerable.size(),
                    held.stream()
                            .filter(a -> !a.answerable() && a.outcome() == Outcome.REFUSED)
                            .count()));
        }
        out.append("\nMisses:\n");
        for (Asked a : asked) {
            boolean miss = a.answerable() ? a.outcome() != Outcome.CORRECT : a.outcome() != Outcome.REFUSED;
            if (miss) {
                out.append("  [")
                        .append(a.outcome())
                        .append("] ")
                        .append(a.dataset())
                        .append(": ")
                        .append(a.question())
                        .append("\n      ")
                        .append(a.detail())
                        .append('\n');
            }
        }
        out.append("\nAnswers:\n");
        for (Asked a : asked) {
            out.append("  [")
                    .append(a.outcome())
                    .append("] ")
                    .append(a.dataset())
                    .append(": ")
                    .append(a.question())
                    .append("\n      ")
                    .append(a.interpretation() != null ? a.interpretation() : a.detail())
                    .append('\n');
        }
        return out.toString();
    }
}
