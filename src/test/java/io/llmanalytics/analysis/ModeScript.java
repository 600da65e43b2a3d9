package io.llmanalytics.analysis;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubRequest;
import io.llmanalytics.testing.llm.StubResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A multi-step analysis scripted on the stub: the plan request gets the plan, each step's code request the code for
 * that step and attempt, the synthesis request the synthesis. Requests are told apart by their prompts, as a model
 * would see them.
 */
final class ModeScript {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STEP = Pattern.compile("Step (\\d+) of a ");

    private final List<String> plan;
    private final Map<Integer, List<StubResponse>> code;
    private final String synthesis;
    private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();

    ModeScript(List<String> plan, Map<Integer, List<StubResponse>> code, Map<String, Object> synthesis) {
        this.plan = plan;
        this.code = code;
        try {
            this.synthesis = JSON.writeValueAsString(synthesis);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<StubResponse> codes(String... code) {
        return Arrays.stream(code).map(StubResponse::code).toList();
    }

    Function<StubRequest, StubResponse> responder() {
        return request -> {
            String system = request.systemMessage();
            try {
                if (system.contains("You plan multi-step data analyses")) {
                    return StubResponse.content(JSON.writeValueAsString(Map.of("steps", plan)));
                }
                if (system.contains("You write the synthesis")) {
                    return StubResponse.content(synthesis);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Matcher m = STEP.matcher(request.userMessage());
            if (!m.find()) {
                return StubResponse.status(500);
            }
            int step = Integer.parseInt(m.group(1));
            int n = attempts.computeIfAbsent(step, k -> new AtomicInteger()).getAndIncrement();
            List<StubResponse> answers = code.getOrDefault(step, List.of());
            return answers.isEmpty() ? StubResponse.status(500) : answers.get(Math.min(n, answers.size() - 1));
        };
    }

    static SseEvents ask(OpenAiStub stub, ModeScript script, String session, String mode, String question) {
        stub.respond(script.responder());
        return SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", question, "mode", mode))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }
}
