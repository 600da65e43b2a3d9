package io.llmanalytics.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubRequest;
import io.llmanalytics.testing.llm.StubResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the LLM stub answers during the browser tests, read from {@code src/test/ui/fixtures/llm-script.json} (the
 * browser scenarios ask exactly these questions). A request is matched to the longest scripted question that follows
 * {@code "Question: "} in its last user message (both prompts state the current question that way; earlier questions of
 * the conversation are quoted, so they never match). A code request gets the code of the attempt it repairs plus one:
 * the number of the question's earlier scripted codes that its prompt quotes as the failed attempt.
 */
record LlmScript(Map<String, Answer> questions) {

    /**
     * The scripted answer to one question; for a multi-step mode also its {@code plan}, the code of each of its
     * {@code steps} (by number) and its {@code synthesis} (the JSON the model answers).
     */
    record Answer(
            List<String> code,
            Duration codeDelay,
            String interpretation,
            Duration tokenDelay,
            List<String> plan,
            Map<Integer, String> steps,
            String synthesis) {}

    private static final Pattern STEP = Pattern.compile("Question: Step (\\d+) of a \\w+ analysis of the question ");

    static LlmScript load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        Map<String, Answer> questions = new LinkedHashMap<>();
        root.get("questions").fields().forEachRemaining(entry -> {
            JsonNode q = entry.getValue();
            List<String> code = new ArrayList<>();
            q.path("code").forEach(c -> code.add(c.asText()));
            questions.put(
                    entry.getKey(),
                    new Answer(
                            code,
                            Duration.ofMillis(q.path("code_delay_ms").asLong(0)),
                            q.hasNonNull("interpretation")
                                    ? q.get("interpretation").asText()
                                    : null,
                            Duration.ofMillis(q.path("token_delay_ms").asLong(0)),
                            texts(q.path("plan")),
                            steps(q.path("steps")),
                            q.has("synthesis") ? q.get("synthesis").toString() : null));
        });
        return new LlmScript(Map.copyOf(questions));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<Integer, String> steps(JsonNode object) {
        Map<Integer, String> out = new LinkedHashMap<>();
        object.fields()
                .forEachRemaining(
                        e -> out.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
        return out;
    }

    void install(OpenAiStub stub) {
        stub.respond(this::answer);
    }

    StubResponse answer(StubRequest request) {
        String prompt = request.userMessage();
        String question = null;
        Matcher step = STEP.matcher(prompt);
        boolean isStep = step.find();
        for (String q : questions.keySet()) {
            boolean asked = isStep
                    ? prompt.contains("analysis of the question \"" + q + "\"")
                    : prompt.contains("Question: " + q);
            if (asked && (question == null || q.length() > question.length())) {
                question = q;
            }
        }
        if (question == null) {
            return StubResponse.status(500)
                    .body("{\"error\":{\"message\":\"LlmScript: no answer scripted for this question\"}}");
        }
        Answer answer = questions.get(question);
        String system = request.systemMessage();
        if (system.contains("You plan multi-step data analyses")
                && !answer.plan().isEmpty()) {
            return StubResponse.content(planJson(answer.plan()));
        }
        if (system.contains("You write the synthesis") && answer.synthesis() != null) {
            return StubResponse.content(answer.synthesis());
        }
        if (isStep) {
            String code = answer.steps().get(Integer.parseInt(step.group(1)));
            return code == null ? StubResponse.status(500) : StubResponse.code(code);
        }
        if (request.interpretation()) {
            return answer.interpretation() == null
                    ? StubResponse.status(500)
                    : StubResponse.content(answer.interpretation()).tokenDelay(answer.tokenDelay());
        }
        int attempt = 0;
        for (int i = 0; i < answer.code().size() - 1; i++) {
            if (prompt.contains(answer.code().get(i))) {
                attempt = i + 1;
            }
        }
        String code = answer.code().get(attempt);
        // a scripted reply that is already fenced (a clarifying question's json block) is sent as it is
        StubResponse reply = code.startsWith("```") ? StubResponse.content(code) : StubResponse.code(code);
        return reply.delay(answer.codeDelay());
    }

    private static String planJson(List<String> plan) {
        try {
            return new ObjectMapper().writeValueAsString(Map.of("steps", plan));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
