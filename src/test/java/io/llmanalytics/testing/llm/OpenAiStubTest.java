package io.llmanalytics.testing.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stub speaks the OpenAI wire format, so tests of the service can trust it. */
class OpenAiStubTest {

    private static OpenAiStub stub;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        stub = OpenAiStub.start();
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    @BeforeEach
    void reset() {
        stub.reset();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersJsonCompletionsAndRecordsTheRequest() throws Exception {
        stub.enqueue(StubResponse.content("Hello").usage(7, 1));
        HttpResponse<String> response = post("{\"model\":\"m1\",\"messages\":[{\"role\":\"system\",\"content\":\"S\"},"
                + "{\"role\":\"user\",\"content\":\"U\"}],\"temperature\":0.2}");
        assertEquals(200, response.statusCode());
        JsonObject body = new JsonObject(response.body());
        assertEquals("chat.completion", body.getString("object"));
        assertEquals("m1", body.getString("model"));
        assertEquals(
                "Hello",
                body.getJsonArray("choices")
                        .getJsonObject(0)
                        .getJsonObject("message")
                        .getString("content"));
        assertEquals(8, body.getJsonObject("usage").getInteger("total_tokens"));
        StubRequest request = stub.lastRequest();
        assertEquals("S", request.systemMessage());
        assertEquals("U", request.userMessage());
        assertEquals(0.2, request.temperature());
        assertEquals("application/json", request.header("content-type"));
    }

    @Test
    void streamsTokensThenUsageThenDone() throws Exception {
        stub.respond(r -> r.interpretation() ? StubResponse.content("a b c") : StubResponse.code("x"));
        HttpResponse<String> response = post("{\"model\":\"m\",\"stream\":true,\"stream_options\":"
                + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(
                "text/event-stream",
                response.headers().firstValue("content-type").orElse(""));
        List<String> events = List.of(response.body().split("\n\n"));
        assertEquals(7, events.size(), response.body());
        assertTrue(events.get(1).contains("\"content\":\"a\""), events.get(1));
        assertTrue(events.get(2).contains("\"content\":\" b\""), events.get(2));
        assertTrue(events.get(4).contains("\"finish_reason\":\"stop\""), events.get(4));
        assertTrue(events.get(5).contains("\"usage\""), events.get(5));
        assertEquals("data: [DONE]", events.get(6));
    }

    @Test
    void servesErrorsModelsAndUnknownPaths() throws Exception {
        stub.enqueue(StubResponse.status(429).header("Retry-After", "3"));
        HttpResponse<String> limited = post("{}");
        assertEquals(429, limited.statusCode());
        assertEquals("3", limited.headers().firstValue("retry-after").orElse(""));
        assertEquals(500, post("{}").statusCode(), "nothing scripted");

        HttpResponse<String> models = HTTP.send(
                HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(
                "gpt-4o-mini",
                new JsonObject(models.body())
                        .getJsonArray("data")
                        .getJsonObject(0)
                        .getString("id"));
        HttpResponse<String> missing = HTTP.send(
                HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/nothing")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    @Test
    void benchmarkModeGivesDistinctCodeAfterTheDelay() throws Exception {
        stub.respond(OpenAiStub.benchmarkResponder(Duration.ofMillis(200), Duration.ZERO, true, "unused", "Done."));
        long start = System.nanoTime();
        String first = new JsonObject(post("{\"messages\":[]}").body())
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content");
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(190).toNanos());
        String second = new JsonObject(post("{\"messages\":[]}").body())
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content");
        assertEquals("```python\nresult = len(df.iloc[:1])\n```", first);
        assertEquals("```python\nresult = len(df.iloc[:2])\n```", second);
        assertEquals(Duration.ofMillis(1500), OpenAiStub.duration("1.5s"));
        assertEquals(Duration.ofMillis(250), OpenAiStub.duration("250ms"));
        assertEquals(Duration.ofMillis(40), OpenAiStub.duration("40"));
    }
}
