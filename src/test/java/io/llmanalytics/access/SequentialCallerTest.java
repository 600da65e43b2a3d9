package io.llmanalytics.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.testing.OwnJvm;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A caller allowed one analysis at a time asks 20 questions back to back, each as soon as it has read the last one's
 * terminal event (over SSE, without waiting for the response to end) or its JSON answer: none is refused, because the
 * slot is given back before the terminal event is emitted, not when the response ends.
 */
@QuarkusTest
@OwnJvm
@TestProfile(SequentialCallerProfile.class)
class SequentialCallerTest {

    static final int QUESTIONS = 20;

    @TestHTTPResource("/")
    URI base;

    @Test
    void aSequentialCallerWithOneStreamIsNeverRefused() throws Exception {
        String session = AccessControlTest.upload(SequentialCallerProfile.KEY, "seq.csv", AccessControlTest.CSV);
        List<String> outcomes = new ArrayList<>();
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < QUESTIONS; i++) {
                boolean sse = i % 2 == 0;
                HttpResponse<InputStream> r = http.send(
                        HttpRequest.newBuilder(base.resolve("/api/session/" + session + "/analyze"))
                                .timeout(Duration.ofSeconds(120))
                                .header("Authorization", "Bearer " + SequentialCallerProfile.KEY)
                                .header("Content-Type", "application/json")
                                .header("Accept", sse ? "text/event-stream" : "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(AccessControlTest.QUESTION))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = r.body()) {
                    if (r.statusCode() != 200) {
                        outcomes.add(i + ": " + r.statusCode() + " "
                                + new String(body.readAllBytes(), StandardCharsets.UTF_8));
                        continue;
                    }
                    outcomes.add(i + ": " + (sse ? terminalEvent(body) : "json"));
                    // closed here, before the server necessarily ended the response: the next question goes at once
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < QUESTIONS; i++) {
            expected.add(i + ": " + (i % 2 == 0 ? "done" : "json"));
        }
        assertEquals(expected, outcomes);
        assertTrue(outcomes.stream().noneMatch(o -> o.contains(" 429 ")), outcomes.toString());
    }

    /** Reads SSE lines up to the first terminal event and names it; nothing after it is read. */
    static String terminalEvent(InputStream body) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            String name = line.startsWith("event:") ? line.substring(6).strip() : null;
            if ("done".equals(name) || "error".equals(name)) {
                return name;
            }
        }
        return "no terminal event";
    }
}
