package io.llmanalytics.dashboard;

import static io.llmanalytics.dashboard.DashboardApiTest.ROWS;
import static io.llmanalytics.dashboard.DashboardApiTest.as;
import static io.llmanalytics.dashboard.DashboardApiTest.dashboard;
import static io.llmanalytics.dashboard.DashboardApiTest.pin;
import static io.llmanalytics.dashboard.DashboardApiTest.upload;
import static io.llmanalytics.share.ShareProfile.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.share.ShareProfile;
import io.llmanalytics.testing.OwnJvm;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.ScriptedAnswers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dashboard is bounded in time: a pin whose code runs past {@code dashboard.deadline} shows that in its card, and the
 * other cards are computed beside it (two at a time).
 */
@QuarkusTest
@OwnJvm
@TestProfile(DashboardDeadlineTest.ShortDeadline.class)
class DashboardDeadlineTest {

    /** Fast while the session has one dataset; never ends once it has two. */
    static final String ENDLESS_WITH_TWO = """
            while len(dfs) > 1:
                pass
            result = 1""";

    public static class ShortDeadline extends ShareProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("dashboard.deadline", "6s");
            config.put("sandbox.timeout", "60"); // the dashboard's deadline ends the endless card, not the sandbox's
            return config;
        }
    }

    @InjectOpenAiStub
    OpenAiStub stub;

    @Test
    void aCardPastTheDeadlineSaysSoAndTheOthersAreComputed() {
        String session = upload(DashboardApiTest.ORDERS);
        String rows = ScriptedAnswers.ask(stub, as(ALICE), session, "Rows?", ROWS, "Here it is.")
                .get("conversation_id")
                .asText();
        String endless = ScriptedAnswers.ask(stub, as(ALICE), session, "One?", ENDLESS_WITH_TWO, "Here it is.")
                .get("conversation_id")
                .asText();
        pin(ALICE, session, endless).then().statusCode(201);
        pin(ALICE, session, rows).then().statusCode(201);
        as(ALICE)
                .multiPart("file", "more.csv", DashboardApiTest.MORE.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/" + session + "/datasets")
                .then()
                .statusCode(201);

        long started = System.nanoTime();
        JsonPath board = dashboard(session);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        assertEquals("unavailable", board.getString("items[0].error.kind"), board.prettify());
        assertTrue(board.getString("items[0].error.message").contains("DASHBOARD_DEADLINE=6 s"), board.prettify());
        assertEquals(4, board.getInt("items[1].result"), board.prettify());
        assertNull(board.get("items[1].error"));
        assertTrue(seconds < 30, "the dashboard took " + seconds + " s with a 6 s deadline");
    }
}
