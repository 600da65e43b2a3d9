package io.llmanalytics.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analyst.openai.LlmGuard;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Grounded interpretation over real HTTP: regeneration on invented numbers, and the fallback. */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class GroundedInterpreterTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    GroundedInterpreter interpreter;

    @Inject
    AnalystSelector selector;

    @Inject
    LlmGuard guard;

    private JsonNode result;

    @BeforeEach
    void reset() throws Exception {
        stub.reset();
        guard.breaker().reset();
        result = JSON.readTree("""
                {"type": "series", "name": "revenue", "data": {"Electronics": 700.0, "Furniture": 200.0, "Toys": 100.0},
                 "length": 3, "truncated": false}""");
    }

    private List<InterpretationEvent> run() {
        InterpretationRequest request = InterpretationRequest.of(
                "Revenue by category?", result, "result = df.groupby('category')['revenue'].sum()", null, false);
        return interpreter
                .interpret(selector.active(), request)
                .collect()
                .asList()
                .await()
                .atMost(WAIT);
    }

    @Test
    void keepsAGroundedInterpretation() {
        stub.enqueue(StubResponse.content("Electronics leads with 700, 70% of all revenue.")
                .usage(50, 10));
        List<InterpretationEvent> events = run();
        InterpretationEvent.Final fin =
                assertInstanceOf(InterpretationEvent.Final.class, events.get(events.size() - 1));
        assertEquals("Electronics leads with 700, 70% of all revenue.", fin.text());
        assertTrue(fin.grounding().ok());
        assertFalse(fin.fallback());
        assertEquals(1, fin.rounds());
        assertEquals(new TokenUsage(50, 10, 60), fin.usage());
        assertEquals(
                "Electronics leads with 700, 70% of all revenue.",
                events.subList(0, events.size() - 1).stream()
                        .map(e -> ((InterpretationEvent.Delta) e).text())
                        .reduce("", String::concat));
    }

    @Test
    void regeneratesOnceWhenANumberIsInvented() {
        stub.enqueue(
                StubResponse.content("Electronics leads with 750, up 12% on last year.")
                        .usage(50, 10),
                StubResponse.content("Electronics leads with 700.").usage(60, 5));
        List<InterpretationEvent> events = run();

        int retracted = indexOf(events, InterpretationEvent.Retracted.class);
        assertEquals(List.of("750", "12%"), ((InterpretationEvent.Retracted) events.get(retracted)).ungrounded());
        InterpretationEvent.Final fin = (InterpretationEvent.Final) events.get(events.size() - 1);
        assertEquals("Electronics leads with 700.", fin.text());
        assertTrue(fin.grounding().ok());
        assertFalse(fin.fallback());
        assertEquals(2, fin.rounds());
        assertEquals(new TokenUsage(110, 15, 125), fin.usage());
        String correction = stub.lastRequest().userMessage();
        assertTrue(correction.contains("numbers that are not in the result: \"750\", \"12%\""), correction);
    }

    @Test
    void fallsBackWhenTheCorrectionIsStillUngrounded() {
        stub.respond(r -> StubResponse.content("Toys grew by 999 units."));
        List<InterpretationEvent> events = run();
        InterpretationEvent.Final fin = (InterpretationEvent.Final) events.get(events.size() - 1);
        assertTrue(fin.fallback());
        assertEquals(FallbackInterpretation.describe(result), fin.text());
        assertEquals(List.of("999"), fin.grounding().ungrounded());
        assertTrue(fin.fallbackReason().contains("(999), even after a correction"), fin.fallbackReason());
        assertEquals(
                2,
                events.stream()
                        .filter(InterpretationEvent.Retracted.class::isInstance)
                        .count());
        assertEquals(2, stub.chatRequests().size());
    }

    @Test
    void fallsBackWhenTheModelIsUnavailable() {
        stub.respond(r -> StubResponse.status(503));
        List<InterpretationEvent> events = run();
        assertEquals(1, events.size(), "nothing was streamed, nothing to retract");
        InterpretationEvent.Final fin = (InterpretationEvent.Final) events.get(0);
        assertTrue(fin.fallback());
        assertTrue(fin.grounding().ok());
        assertTrue(fin.fallbackReason().contains("answered HTTP 503"), fin.fallbackReason());
        assertEquals(
                "The result lists 3 values of revenue; the highest is 700 (Electronics) and the lowest is 100"
                        + " (Toys).",
                fin.text());
    }

    @Test
    void retractsAndFallsBackWhenTheStreamDiesMidway() {
        stub.enqueue(StubResponse.stallAfter("Electronics leads with 700 and", 2));
        List<InterpretationEvent> events = run();
        assertInstanceOf(InterpretationEvent.Delta.class, events.get(0));
        assertEquals(new InterpretationEvent.Retracted(List.of()), events.get(events.size() - 2));
        InterpretationEvent.Final fin = (InterpretationEvent.Final) events.get(events.size() - 1);
        assertTrue(fin.fallback());
        assertTrue(fin.fallbackReason().contains("did not answer in time"), fin.fallbackReason());
    }

    private static int indexOf(List<InterpretationEvent> events, Class<?> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }
}
