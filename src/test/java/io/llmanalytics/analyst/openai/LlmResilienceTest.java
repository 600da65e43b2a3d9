package io.llmanalytics.analyst.openai;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.Generation;
import io.llmanalytics.analyst.InterpretationChunk;
import io.llmanalytics.analyst.InterpretationRequest;
import io.llmanalytics.analyst.LlmHealth;
import io.llmanalytics.analyst.TestDatasets;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubRequest;
import io.llmanalytics.testing.llm.StubResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timeouts, retries, Retry-After, the circuit breaker and malformed answers, against the stub. The profile sets: call
 * 5 s, first token 5 s, idle 2 s, 2 retries, backoff 20-100 ms, Retry-After up to 3 s, breaker 2 failures in 4, open
 * 1 s.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class LlmResilienceTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    OpenAiAnalyst analyst;

    @Inject
    LlmGuard guard;

    @Inject
    MeterRegistry registry;

    @Inject
    LlmHealth health;

    @BeforeEach
    void reset() {
        stub.reset();
        guard.breaker().reset();
    }

    private Generation generate() {
        return analyst.generateCode(CodeRequest.first("Total?", List.of(TestDatasets.sales()), List.of(), false))
                .await()
                .atMost(WAIT);
    }

    private List<InterpretationChunk> interpret() {
        try {
            return analyst.interpret(InterpretationRequest.of("Total?", JSON.readTree("42"), null, null, false))
                    .collect()
                    .asList()
                    .await()
                    .atMost(WAIT);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException problem(Supplier<?> call) {
        try {
            call.get();
        } catch (RuntimeException e) {
            ProblemException problem = ProblemFailures.find(e);
            if (problem != null) {
                return problem;
            }
            throw e;
        }
        throw new AssertionError("the call was expected to fail");
    }

    @Test
    void honoursRetryAfterOn429ThenSucceeds() {
        stub.enqueue(StubResponse.status(429).header("Retry-After", "1"), StubResponse.code("result = 42"));
        double retries = count("llm.retries", "reason", "rate_limited");
        long start = System.nanoTime();

        assertEquals("result = 42\n", generate().code());

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        List<StubRequest> requests = stub.chatRequests();
        assertEquals(2, requests.size());
        long gapMs = (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
        assertTrue(gapMs >= 950, "waited " + gapMs + " ms between the 429 and the retry, the header said 1 s");
        assertTrue(elapsedMs < 3000, "took " + elapsedMs + " ms");
        assertEquals(1, count("llm.retries", "reason", "rate_limited") - retries, 0.001);
    }

    @Test
    void aRetryAfterBeyondTheLimitFailsAtOnceAndIsPassedOn() {
        stub.enqueue(StubResponse.status(429).header("Retry-After", "60"));
        long start = System.nanoTime();
        ProblemException problem = problem(this::generate);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        assertEquals(ProblemType.LLM_UNAVAILABLE, problem.type());
        assertEquals(Duration.ofSeconds(60), problem.retryAfter().orElseThrow());
        assertEquals(1, stub.chatRequests().size());
        assertTrue(
                problem.getMessage().contains("rate limiting requests (HTTP 429): stub error 429"),
                problem.getMessage());
    }

    @Test
    void retriesServerErrorsWithBackoff() {
        stub.enqueue(StubResponse.status(502), StubResponse.status(503), StubResponse.code("result = 1"));
        assertEquals("result = 1\n", generate().code());
        assertEquals(3, stub.chatRequests().size());
    }

    @Test
    void doesNotRetryARefusedKey() {
        stub.enqueue(StubResponse.status(401).body("{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
        ProblemException problem = problem(this::generate);
        assertEquals(ProblemType.LLM_UNAVAILABLE, problem.type());
        assertTrue(
                problem.getMessage()
                        .contains("refused the credentials (HTTP 401); check OPENAI_API_KEY:"
                                + " Incorrect API key provided"),
                problem.getMessage());
        assertEquals(1, stub.chatRequests().size());
        assertEquals(CircuitBreaker.State.CLOSED, guard.breaker().state());
    }

    @Test
    void serverErrorsOpenTheBreakerThenCallsFailFast() throws Exception {
        stub.respond(r -> StubResponse.status(500));

        ProblemException first = problem(this::generate);
        assertEquals(ProblemType.LLM_UNAVAILABLE, first.type());
        assertTrue(
                first.getMessage().contains("answered HTTP 500: stub error 500 (after 3 attempts)"),
                first.getMessage());
        assertEquals(3, stub.chatRequests().size());

        ProblemException second = problem(this::generate);
        assertEquals(4, stub.chatRequests().size(), "the fourth failure fills the window and opens the breaker");
        assertTrue(second.retryAfter().isPresent(), second.getMessage());
        assertEquals(CircuitBreaker.State.OPEN, guard.breaker().state());
        var health = this.health.check().await().atMost(WAIT);
        assertEquals("down", health.status());
        assertEquals("open", health.details().get("circuit_breaker"));

        long start = System.nanoTime();
        ProblemException fast = problem(this::generate);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ProblemType.LLM_UNAVAILABLE, fast.type());
        assertTrue(fast.getMessage().contains("calls to it are suspended"), fast.getMessage());
        Duration retryAfter = fast.retryAfter().orElseThrow();
        assertTrue(
                retryAfter.compareTo(Duration.ZERO) > 0 && retryAfter.compareTo(Duration.ofSeconds(1)) <= 0,
                retryAfter.toString());
        assertTrue(elapsedMs < 1000, "fail-fast took " + elapsedMs + " ms");
        assertEquals(4, stub.chatRequests().size(), "no request while open");
        problem(this::interpret);
        assertEquals(4, stub.chatRequests().size(), "streams fail fast too");

        // the profile's breaker stays open 1 s: wait until its delay has passed (half-open), not for a fixed time
        await().atMost(WAIT).until(() -> guard.breaker().state() != CircuitBreaker.State.OPEN);
        stub.respond(r -> StubResponse.code("result = 'back'"));
        assertEquals("result = 'back'\n", generate().code(), "one trial call after the delay");
        assertEquals(CircuitBreaker.State.CLOSED, guard.breaker().state());
    }

    @Test
    void aStalledStreamTimesOutAndIsClosed() throws Exception {
        stub.enqueue(StubResponse.stallAfter("The total is 42 and that is all.", 3));
        long start = System.nanoTime();
        ProblemException problem = problem(this::interpret);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ProblemType.TIMEOUT, problem.type());
        assertTrue(problem.getMessage().contains("no token for 2 s in the middle of the answer"), problem.getMessage());
        assertTrue(elapsedMs >= 1900 && elapsedMs < 5000, elapsedMs + " ms");
        stub.lastRequest().closedEarly().get(2, TimeUnit.SECONDS);
        assertEquals(1, stub.chatRequests().size(), "a stream that started is not retried");
    }

    @Test
    void aSilentEndpointHitsTheFirstTokenTimeout() throws Exception {
        stub.enqueue(StubResponse.content("late").delay(Duration.ofSeconds(6)));
        ProblemException problem = problem(this::interpret);
        assertEquals(ProblemType.TIMEOUT, problem.type());
        assertTrue(problem.getMessage().contains("no first token within 5 s"), problem.getMessage());
        stub.lastRequest().closedEarly().get(2, TimeUnit.SECONDS);
    }

    @Test
    void aSlowNonStreamedAnswerHitsTheCallTimeout() throws Exception {
        stub.enqueue(StubResponse.code("result = 1").delay(Duration.ofSeconds(8)));
        ProblemException problem = problem(this::generate);
        assertEquals(ProblemType.TIMEOUT, problem.type());
        assertTrue(problem.getMessage().contains("no answer within 5 s"), problem.getMessage());
        stub.lastRequest().closedEarly().get(2, TimeUnit.SECONDS);
    }

    @Test
    void malformedJsonIsAskedAgainThenAClearFailure() {
        stub.enqueue(StubResponse.malformed(), StubResponse.code("result = 1"));
        assertEquals("result = 1\n", generate().code(), "a single malformed answer is asked again");
        assertEquals(2, stub.chatRequests().size());
        guard.breaker().reset(); // the window of this test's breaker is 4 calls

        stub.enqueue(StubResponse.malformed(), StubResponse.malformed(), StubResponse.malformed());
        ProblemException problem = problem(this::generate);
        assertEquals(ProblemType.LLM_UNAVAILABLE, problem.type());
        assertTrue(
                problem.getMessage().contains("sent a malformed answer (the answer is not JSON"), problem.getMessage());
        assertEquals(5, stub.chatRequests().size(), "three attempts in all");
        guard.breaker().reset();

        stub.enqueue(StubResponse.malformed(), StubResponse.malformed(), StubResponse.malformed());
        ProblemException streamed = problem(this::interpret);
        assertEquals(ProblemType.LLM_UNAVAILABLE, streamed.type());
        assertTrue(streamed.getMessage().contains("a streamed chunk is not JSON"), streamed.getMessage());
    }

    @Test
    void aStreamCutBeforeItsEndIsAFailureNotAShortAnswer() {
        stub.enqueue(StubResponse.cutAfter("The total is 42 and", 3));
        ProblemException problem = problem(this::interpret);
        assertEquals(ProblemType.LLM_UNAVAILABLE, problem.type());
        assertTrue(
                problem.getMessage().contains("the stream ended before the answer was complete"), problem.getMessage());
        assertEquals(1, stub.chatRequests().size(), "a stream that started is not retried");

        stub.enqueue(StubResponse.dropConnection(), StubResponse.content("Recovered: 42."));
        List<InterpretationChunk> chunks = interpret();
        assertEquals(
                new InterpretationChunk.Completed(
                        "Recovered: 42.",
                        chunks.get(chunks.size() - 1) instanceof InterpretationChunk.Completed c ? c.usage() : null,
                        "gpt-4o-mini"),
                chunks.get(chunks.size() - 1));
        assertEquals(3, stub.chatRequests().size(), "a connection lost before any token is retried");
    }

    @Test
    void anUnreachableEndpointIsRetriedThenReported() {
        stub.respond(r -> StubResponse.dropConnection());
        ProblemException problem = problem(this::generate);
        assertEquals(ProblemType.LLM_UNAVAILABLE, problem.type());
        assertTrue(problem.getMessage().contains("the connection failed"), problem.getMessage());
        assertEquals(3, stub.chatRequests().size());
    }

    private double count(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
