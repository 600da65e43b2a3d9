package io.llmanalytics.analyst.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The transport's pure parts: SSE framing, Retry-After, failure classification, the breaker. */
class TransportPartsTest {

    @Test
    void parsesServerSentEventsAcrossChunkBoundaries() {
        List<String> events = new ArrayList<>();
        SseParser parser = new SseParser((event, data) -> events.add(event + "|" + data));
        byte[] bytes = (": keep-alive\r\n\r\ndata: {\"a\":\"é€\"}\r\n\r\nevent: error\ndata: line1\ndata: line2\n\n"
                        + "data: [DONE]")
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 3) {
            byte[] part = new byte[Math.min(3, bytes.length - i)];
            System.arraycopy(bytes, i, part, 0, part.length);
            parser.feed(part);
        }
        parser.finish();
        assertEquals(List.of("null|{\"a\":\"é€\"}", "error|line1\nline2", "null|[DONE]"), events);
    }

    @Test
    void recognisesErrorPayloadsInSuccessfulAnswers() {
        UpstreamHttpException event = VertxHttpClient.errorPayload("error", "overloaded");
        assertEquals(200, event.status());
        assertEquals(LlmFailure.Kind.SERVER_ERROR, LlmFailure.of(event).kind());
        UpstreamHttpException body = VertxHttpClient.errorPayload(
                null, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        assertTrue(
                LlmFailure.of(body)
                        .problem("h", 1)
                        .getMessage()
                        .contains("it reported an error: The server had an" + " error"),
                LlmFailure.of(body).problem("h", 1).getMessage());
        assertNull(
                VertxHttpClient.errorPayload(null, "{\"choices\":[{\"delta\":{\"error\":\"nested\"}}]}"),
                "only a top-level error counts");
        assertNull(VertxHttpClient.errorPayload(null, "{\"error\":null,\"choices\":[]}"));
        assertNull(VertxHttpClient.errorPayload(null, "[DONE]"));
        assertNull(VertxHttpClient.errorPayload(null, "{\"error\": not json"));
    }

    @Test
    void rewritesAWholeCompletionAsOneChunk() throws Exception {
        String chunk = VertxHttpClient.asChunk("{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"42.\"},\"finish_reason\":\"stop\"}],\"usage\":"
                + "{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}");
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(chunk);
        assertEquals(
                "42.",
                node.path("choices").path(0).path("delta").path("content").asText());
        assertTrue(node.path("choices").path(0).path("message").isMissingNode());
        assertEquals("stop", node.path("choices").path(0).path("finish_reason").asText());
        assertEquals(4, node.path("usage").path("total_tokens").asInt());
        assertEquals("not json", VertxHttpClient.asChunk("not json"), "left for LangChain4j to reject");
    }

    @Test
    void namesLangChain4jsUnreadableAnswerFailures() {
        Exception parse;
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"choices\": [");
            throw new AssertionError("unreachable");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            parse = e;
        }
        RuntimeException named = OpenAiAnalyst.named(new RuntimeException(parse), "the answer is not JSON: ");
        assertTrue(named instanceof MalformedAnswerException, String.valueOf(named));
        assertTrue(
                named.getMessage().startsWith("the answer is not JSON: Unexpected end-of-input"), named.getMessage());
        assertEquals(LlmFailure.Kind.MALFORMED, LlmFailure.of(named).kind());
        RuntimeException noChoices = OpenAiAnalyst.named(
                new dev.langchain4j.exception.InternalServerException("Chat completion failed: no choices returned"),
                "x");
        assertEquals("the answer holds no choices", noChoices.getMessage());
        var http = new dev.langchain4j.exception.InternalServerException(new UpstreamHttpException(502, null, "bad"));
        assertEquals(http, OpenAiAnalyst.named(http, "x"), "HTTP failures pass unchanged");
        assertEquals(LlmFailure.Kind.SERVER_ERROR, LlmFailure.of(http).kind());
    }

    @Test
    void readsRetryAfterInEveryForm() {
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        assertEquals(Duration.ofSeconds(2), RetryAfter.parse("2", null, clock));
        assertEquals(Duration.ofMillis(1500), RetryAfter.parse("1.5", null, clock));
        assertEquals(Duration.ofMillis(250), RetryAfter.parse("9", "250", clock));
        assertEquals(Duration.ofSeconds(30), RetryAfter.parse("Wed, 01 Jan 2025 00:00:30 GMT", null, clock));
        assertEquals(Duration.ZERO, RetryAfter.parse("Tue, 31 Dec 2024 23:00:00 GMT", null, clock));
        assertNull(RetryAfter.parse("soon", null, clock));
        assertNull(RetryAfter.parse(null, "", clock));
    }

    @Test
    void classifiesFailures() {
        LlmFailure limited = LlmFailure.of(new jakarta.ws.rs.ProcessingException(
                new UpstreamHttpException(429, Duration.ofSeconds(3), "{\"error\":{\"message\":\"Slow down\"}}")));
        assertEquals(LlmFailure.Kind.RATE_LIMITED, limited.kind());
        assertTrue(limited.retryable());
        ProblemException problem = limited.problem("api.example.com", 3);
        assertEquals(ProblemType.LLM_UNAVAILABLE, problem.type());
        assertEquals(Duration.ofSeconds(3), problem.retryAfter().orElseThrow());
        assertEquals(
                "The language model at api.example.com could not be used: it is rate limiting requests"
                        + " (HTTP 429): Slow down (after 3 attempts).",
                problem.getMessage());

        LlmFailure refused = LlmFailure.of(new UpstreamHttpException(401, null, "bad key"));
        assertEquals(LlmFailure.Kind.REFUSED, refused.kind());
        assertTrue(!refused.retryable() && !refused.countsAgainstEndpoint());
        assertTrue(refused.problem("h", 1).getMessage().contains("check OPENAI_API_KEY: bad key"));
        assertEquals(
                LlmFailure.Kind.REJECTED,
                LlmFailure.of(new UpstreamHttpException(404, null, "")).kind());
        assertEquals(
                LlmFailure.Kind.SERVER_ERROR,
                LlmFailure.of(new UpstreamHttpException(503, null, "")).kind());
        assertEquals(
                LlmFailure.Kind.UNREACHABLE,
                LlmFailure.of(new java.net.ConnectException("refused")).kind());
        assertEquals(
                LlmFailure.Kind.MALFORMED,
                LlmFailure.of(new MalformedAnswerException("x")).kind());
        LlmFailure timeout = LlmFailure.of(new LlmTimeoutException("no first token within 2 s", Duration.ofSeconds(2)));
        assertEquals(ProblemType.TIMEOUT, timeout.problem("h", 1).type());
        assertEquals(
                LlmFailure.Kind.OTHER,
                LlmFailure.of(new IllegalStateException()).kind());
        assertEquals("plain text error", LlmFailure.providerMessage("plain   text error"));
        assertEquals("x".repeat(200) + "…", LlmFailure.providerMessage("x".repeat(500)));
    }

    @Test
    void circuitBreakerOpensOnTheFailureRatioAndRecoversThroughOneTrial() {
        AtomicLong now = new AtomicLong();
        CircuitBreaker breaker = new CircuitBreaker(
                4, 0.5, Duration.ofSeconds(10), Duration.ofSeconds(5), () -> Instant.EPOCH.plusNanos(now.get()));
        breaker.onSuccess(0);
        breaker.onFailure(0);
        breaker.onSuccess(0);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "fewer calls than the window");
        breaker.onFailure(0);
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "2 of 4 failed");
        assertEquals(Duration.ofSeconds(10), breaker.acquire());
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertEquals(Duration.ofSeconds(6), breaker.acquire());
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertNull(breaker.acquire(), "one trial call");
        assertTrue(breaker.acquire() != null, "a second one waits for the trial");
        breaker.onFailure(0);
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "a failed trial reopens");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertNull(breaker.acquire());
        breaker.onIgnored(0);
        assertNull(breaker.acquire(), "a cancelled trial frees the slot");
        breaker.onSuccess(0);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertEquals(0, breaker.recorded());
        for (int i = 0; i < 10; i++) {
            breaker.onSuccess(0);
            breaker.onFailure(0);
            breaker.onSuccess(0);
            breaker.onSuccess(0);
        }
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "1 of 4 failing stays below one half");
        assertEquals(1, breaker.failures());
        long before = breaker.epoch();
        breaker.reset();
        breaker.onFailure(before);
        breaker.onFailure(before);
        assertEquals(0, breaker.recorded(), "calls started before a reset do not count after it");
    }

    @Test
    void backoffGrowsAndIsCapped() {
        io.llmanalytics.analyst.LlmConfig.Retry policy = new io.llmanalytics.analyst.LlmConfig.Retry() {
            public int maxRetries() {
                return 5;
            }

            public Duration baseBackoff() {
                return Duration.ofMillis(100);
            }

            public Duration maxBackoff() {
                return Duration.ofMillis(1000);
            }

            public Duration maxRetryAfter() {
                return Duration.ofSeconds(5);
            }
        };
        for (int i = 0; i < 20; i++) {
            long first = LlmGuard.backoff(0, policy).toMillis();
            long third = LlmGuard.backoff(2, policy).toMillis();
            long tenth = LlmGuard.backoff(9, policy).toMillis();
            assertTrue(first >= 50 && first <= 100, "first " + first);
            assertTrue(third >= 200 && third <= 400, "third " + third);
            assertTrue(tenth >= 500 && tenth <= 1000, "tenth " + tenth);
        }
    }
}
