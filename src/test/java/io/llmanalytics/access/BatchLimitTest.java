package io.llmanalytics.access;

import static io.llmanalytics.access.AccessProfile.IVAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** A batch of questions uses one of the caller's analyses per minute per question, not one for the whole batch. */
@QuarkusTest
@TestProfile(AccessProfile.class)
class BatchLimitTest {

    private static Response batch(String session, int questions) {
        StringBuilder body = new StringBuilder("{\"questions\": [");
        for (int i = 0; i < questions; i++) {
            body.append(i > 0 ? ", " : "").append("\"How many rows are there?\"");
        }
        return AccessControlTest.as(IVAN)
                .contentType("application/json")
                .accept("application/json")
                .body(body.append("]}").toString())
                .post("/api/session/" + session + "/batch");
    }

    @Test
    void eachQuestionOfABatchCountsAgainstTheAnalysesPerMinute() {
        String session = AccessControlTest.upload(IVAN, "ivan.csv", AccessControlTest.CSV);

        Response three = batch(session, 3);
        assertEquals(200, three.statusCode(), three.asString());
        assertEquals(3, three.jsonPath().getList("$").size());
        assertEquals(3, three.jsonPath().getInt("[2].raw_result"), "every question answered");

        Response two = batch(session, 2); // 3 + 2 > ANALYSES_PER_MINUTE (4)
        assertEquals(429, two.statusCode(), two.asString());
        assertEquals("application/problem+json", two.contentType());
        assertTrue(two.jsonPath().getString("detail").contains("RATE_LIMIT_ANALYSES_PER_MINUTE"), two.asString());
        assertTrue(two.header("Retry-After") != null, "says when to come back");
    }
}
