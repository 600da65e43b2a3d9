package io.llmanalytics.testing.llm;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The test profile of everything that talks to a language model: the {@link OpenAiStub} as the endpoint, and timeouts,
 * backoffs and the circuit breaker shortened so that failure tests take a second, not a minute. Share it (one profile,
 * one application start) rather than adding others.
 */
public class LlmStubProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("llm.timeout.connect", "2s"),
                Map.entry("llm.timeout.call", "5s"),
                Map.entry("llm.timeout.first-token", "5s"),
                Map.entry("llm.timeout.idle", "2s"),
                Map.entry("llm.timeout.stream", "10s"),
                Map.entry("llm.retry.max-retries", "2"),
                Map.entry("llm.retry.base-backoff", "20ms"),
                Map.entry("llm.retry.max-backoff", "100ms"),
                Map.entry("llm.retry.max-retry-after", "3s"),
                Map.entry("llm.circuit-breaker.request-volume-threshold", "4"),
                Map.entry("llm.circuit-breaker.failure-ratio", "0.5"),
                Map.entry("llm.circuit-breaker.delay", "1s"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OpenAiStubResource.class));
    }
}
