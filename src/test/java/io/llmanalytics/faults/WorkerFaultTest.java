package io.llmanalytics.faults;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.sandbox.Sandbox;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker killed or out of memory mid-execution: what the user sees, what is stored, and recovery. */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class WorkerFaultTest {

    private static final String CSV = "n\n1\n2\n3\n";

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    Sandbox sandbox;

    @Inject
    io.llmanalytics.analyst.openai.LlmGuard guard;

    @BeforeEach
    void reset() {
        stub.reset();
        guard.breaker().reset();
    }

    private static SseEvents ask(String session, String question) {
        return SseEvents.parse(given().contentType("application/json")
                .accept("text/event-stream")
                .body("{\"question\": \"" + question + "\"}")
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    @Test
    void theSupervisorKilledMidExecutionIsRetriedOnItsStandby() throws Exception {
        String id = Uploads.sessionOf("kill.csv", CSV);
        stub.respond(r -> r.streaming()
                ? StubResponse.content("The sum is 6.")
                : StubResponse.code("import time\ntime.sleep(1.5)\nresult = int(df['n'].sum())"));
        CompletableFuture<SseEvents> answer = CompletableFuture.supplyAsync(() -> ask(id, "Sum after a pause?"));
        await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.status().running() > 0);
        long pid = sandbox.status().pid();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false), "killed the supervisor");
        SseEvents events = answer.get();
        assertEquals(6, events.done().get("raw_result").asInt(), "the user got the answer: " + events.names());
        assertEquals(1, events.named("execution").size(), "one attempt, its execution retried on the standby");
        given().get("/api/session/" + id).then().body("history.size()", is(1)).body("history[0].error", is((Object)
                null));
        assertTrue(sandbox.status().ready(), "the worker is ready again");
    }

    @Test
    void aMemoryBombFailsItsAttemptAndTheNextOneAnswers() {
        String id = Uploads.sessionOf("bomb.csv", CSV);
        List<StubResponse> codes = new java.util.ArrayList<>(List.of(
                StubResponse.code("big = [0] * (10 ** 10)\nresult = len(big)"),
                StubResponse.code("result = int(df['n'].max())")));
        stub.respond(r -> r.streaming()
                ? StubResponse.content("The largest is 3.")
                : codes.size() > 1 ? codes.remove(0) : codes.get(0));
        SseEvents events = ask(id, "Largest n?");
        JsonNode failed = events.named("execution").get(0).data();
        assertFalse(failed.get("success").asBoolean());
        assertTrue(
                failed.get("error").asText().contains("Memory")
                        || failed.get("error").asText().contains("limit"),
                failed.toString());
        assertEquals(3, events.done().get("raw_result").asInt());
        given().get("/api/session/" + id).then().body("history[0].attempts.size()", is(2));
        assertTrue(sandbox.status().ready());
    }
}
