package io.llmanalytics.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.openai.LlmGuard;
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

/** The wall-time budget of a multi-step analysis (3 s in this profile) ends it with what it has. */
@QuarkusTest
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
        // the model takes longer than the whole budget to write step 2's code (the stub delays its answer)
        ModeScript script = new ModeScript(
                List.of("Rows", "Revenue total", "Largest order"),
                Map.of(
                        1, ModeScript.codes("result = len(df)"),
                        2,
                                List.of(StubResponse.code("result = df['revenue'].sum()")
                                        .delay(Duration.ofSeconds(4))),
                        3, ModeScript.codes("result = df['revenue'].max()")),
                Map.of("text", "Never asked.", "findings", List.of(), "next_questions", List.of()));

        SseEvents events = ModeScript.ask(stub, script, session, "explore", "Overview");

        JsonNode done = events.done();
        JsonNode report = done.get("report");
        assertEquals("wall_time", report.get("ended_by").asText());
        assertEquals("done", done.get("steps").get(0).get("status").asText());
        assertEquals("failed", done.get("steps").get(1).get("status").asText());
        assertEquals("not_run", done.get("steps").get(2).get("status").asText());
        assertTrue(report.get("text").asText().contains("wall-time budget"), report.toString());
        assertTrue(
                stub.chatRequests().stream().noneMatch(r -> r.systemMessage().contains("You write the synthesis")),
                "no synthesis was asked for after the budget ran out");
    }
}
