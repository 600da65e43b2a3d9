package io.llmanalytics.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One case of src/test/resources/hostile/cases.json (the worker's hostile cases, shared with its Python suite), with
 * its placeholders ({token}, {port}, {secret}, ...) filled for one run.
 *
 * @param id the case's id
 * @param category its category in the file (e.g. {@code forbidden-import})
 * @param code the code the model answers with
 * @param goal what the attack wants ({@code kind} and its parameters, see the file's {@code goal_kinds})
 * @param dataset the CSV to upload instead of the standard table (prompt-injection cases), or null
 * @param injected texts of the dataset that must reach the model only quoted as data
 */
record HostileCase(String id, String category, String code, JsonNode goal, String dataset, List<String> injected) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Every case of the file, placeholders unfilled. */
    static List<HostileCase> all() throws IOException {
        try (InputStream in = HostileCase.class.getClassLoader().getResourceAsStream("hostile/cases.json")) {
            if (in == null) {
                throw new IllegalStateException("hostile/cases.json is not on the test classpath");
            }
            List<HostileCase> cases = new ArrayList<>();
            for (JsonNode c : JSON.readTree(in).path("cases")) {
                List<String> injected = new ArrayList<>();
                c.path("injected").forEach(t -> injected.add(t.asText()));
                cases.add(new HostileCase(
                        c.path("id").asText(),
                        c.path("category").asText(),
                        c.path("code").asText(),
                        c.path("goal"),
                        c.hasNonNull("dataset") ? c.path("dataset").asText() : null,
                        List.copyOf(injected)));
            }
            return cases;
        }
    }

    String goalKind() {
        return goal.path("kind").asText();
    }

    /** This case with every {@code {name}} of {@code values} replaced, in the code, goal, dataset and injected texts. */
    HostileCase fill(Map<String, String> values) {
        ObjectNode filledGoal = JSON.createObjectNode();
        goal.fields()
                .forEachRemaining(e -> filledGoal.set(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? filledGoal.textNode(fill(e.getValue().asText(), values))
                                : e.getValue()));
        return new HostileCase(
                id,
                category,
                fill(code, values),
                filledGoal,
                dataset == null ? null : fill(dataset, values),
                injected.stream().map(t -> fill(t, values)).toList());
    }

    private static String fill(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> v : values.entrySet()) {
            out = out.replace("{" + v.getKey() + "}", v.getValue());
        }
        return out;
    }

    /** The group of the hardening issue's list this case is reported under. */
    String reportCategory() {
        return switch (category) {
            case "forbidden-import" -> "imports";
            case "dunder-walk", "frame-walk" -> "dunder/frame walks";
            case "file-read" -> "file read";
            case "file-write" -> "file write";
            case "subprocess", "fork-bomb" -> "process";
            case "eval-injection" -> "eval/query injection";
            case "infinite-loop", "cpu" -> "cpu";
            case "memory-bomb" -> "memory";
            case "huge-output" -> "output size";
            case "encoding" -> "encoding tricks";
            case "info-leak" -> "information leaks";
            case "state-leak" -> "persistence";
            default -> category;
        };
    }
}
