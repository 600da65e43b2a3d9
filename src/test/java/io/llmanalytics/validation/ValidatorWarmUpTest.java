package io.llmanalytics.validation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.testing.OwnJvm;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The service is ready for uploads and questions before the validator is warm: readiness is UP while the GraalPy
 * contexts are still being created (held back here by {@code validation.start-delay}), and a question asked then waits
 * for the first warm context and is answered, with its usual events and no error.
 */
@QuarkusTest
@OwnJvm
@TestProfile(ValidatorWarmUpTest.SlowWarmUp.class)
class ValidatorWarmUpTest {

    /** The LLM stub, and a validator that creates no context for the first 40 s after start. */
    public static class SlowWarmUp extends LlmStubProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("validation.start-delay", "40s");
            overrides.put("validation.warm-up-timeout", "300s");
            return overrides;
        }
    }

    static final String CSV = "region,revenue\nNorth,1200000\nSouth,950000\nEast,400000\nNorth,300000\n";

    @Inject
    CodeValidator validator;

    @InjectOpenAiStub
    OpenAiStub stub;

    @Test
    void aQuestionAskedWhileTheValidatorWarmsIsAnswered() {
        // ready once the store and the worker are (the worker starts in the background), in one answer that also says
        // the validator has no warm context yet
        AtomicReference<Response> readiness = new AtomicReference<>();
        await("the service is ready")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    readiness.set(given().get("/q/health/ready"));
                    return readiness.get().statusCode() == 200;
                });
        JsonPath ready = readiness.get().jsonPath();
        assertEquals("UP", ready.get("status"));
        assertEquals(Boolean.TRUE, ready.get("checks.find { it.name == 'validator' }.data.warming"), ready.prettify());
        assertEquals(0, (int) ready.get("checks.find { it.name == 'validator' }.data.ready_contexts"));
        assertEquals("UP", ready.get("checks.find { it.name == 'worker' }.status"));
        given().get("/api/health")
                .then()
                .body("components.validator.status", equalTo("up"))
                .body("components.validator.details.warming", equalTo(true));

        String session = Uploads.sessionOf("sales.csv", CSV);
        stub.respond(r -> r.streaming()
                ? StubResponse.content("Total revenue is 2850000.")
                : StubResponse.code("result = df['revenue'].sum()"));
        assertFalse(validator.warm(), "the question is asked before any validator context is warm");
        SseEvents events = SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", "What is the total revenue?"))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());

        JsonNode done = events.done();
        assertTrue(done != null && done.get("error").isNull(), "answered: " + events.names());
        assertTrue(done.path("raw_result").toString().contains("2850000"), done.toString());
        List<String> names = events.names();
        assertTrue(names.indexOf("validation") > 0, "events before the check, then the check: " + names);
        assertTrue(events.named("validation").get(0).data().get("ok").asBoolean());
        assertFalse(names.contains("error"), names.toString());
        assertTrue(validator.warm());
    }
}
