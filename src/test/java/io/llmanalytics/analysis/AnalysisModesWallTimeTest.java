package io.llmanalytics.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.openai.LlmGuard;
import io.llmanalytics.testing.OwnJvm;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wall-time budget of a multi-step analysis (8 s in this profile) ends it with what it has: the stub takes 30 s to
 * write step 2's code, so the budget ends the analysis during step 2 at the latest (earlier on a machine slow enough
 * that the plan or step 1 already took 8 s), and step 3 and the synthesis are never asked for.
 */
@QuarkusTest
@OwnJvm
@TestProfile(ModesProfile.ShortWallTime.class)
class AnalysisModesWallTimeTest {

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    LlmGuard guard;

    @BeforeEach
    void reset() {
        stub.reset();
        guard.breaker().reset();
    }

    @Test
    void anAnalysisThatReachesItsWallTimeEndsWithWhatItHasAndSaysSo() {
        String session = Uploads.sessionOf("sales.csv", AnalysisStreamTest.SALES);
        ModeScript script = new ModeScript(
                List.of("Rows", "Revenue total", "Largest order"),
                Map.of(
                        1, ModeScript.codes("result = len(df)"),
                        2,
                                List.of(StubResponse.code("result = df['revenue'].sum()")
                                        .delay(Duration.ofSeconds(30))),
                        3, ModeScript.codes("result = df['revenue'].max()")),
                Map.of("text", "Never asked.", "findings", List.of(), "next_questions", List.of()));

        SseEvents events = ModeScript.ask(stub, script, session, "explore", "Overview");

        JsonNode done = events.done();
        JsonNode report = done.get("report");
        assertEquals("wall_time", report.get("ended_by").asText());
        assertTrue(report.get("text").asText().contains("wall-time budget"), report.toString());
        for (JsonNode step : done.get("steps")) {
            assertTrue(
                    step.get("step").asInt() < 3 || step.get("status").asText().equals("not_run"),
                    "nothing runs after the budget: " + step);
        }
        assertTrue(
                stub.chatRequests().stream().noneMatch(r -> r.userMessage().contains("Step 3 of a")),
                "step 3 was never asked for");
        assertTrue(
                stub.chatRequests().stream().noneMatch(r -> r.systemMessage().contains("You write the synthesis")),
                "no synthesis was asked for after the budget ran out");
    }
}
