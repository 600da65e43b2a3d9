package io.llmanalytics.testing.llm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.testing.SseEvents;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** Questions answered through the public API by a model scripted on the stub. */
public final class ScriptedAnswers {

    private ScriptedAnswers() {}

    /**
     * Asks {@code question} over SSE with {@code request} (its API key, say) while the stub writes {@code code} and
     * then {@code interpretation}; fails unless the analysis ends with {@code done} and no error. The {@code done}
     * event's data.
     */
    public static JsonNode ask(
            OpenAiStub stub,
            RequestSpecification request,
            String session,
            String question,
            String code,
            String interpretation) {
        stub.respond(r -> r.streaming() ? StubResponse.content(interpretation) : StubResponse.code(code));
        JsonNode done = SseEvents.parse(request.contentType("application/json")
                        .accept("text/event-stream")
                        .body(Map.of("question", question))
                        .post("/api/session/" + session + "/analyze")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .done();
        assertTrue(done.get("error").isNull(), done.toString());
        return done;
    }
}
