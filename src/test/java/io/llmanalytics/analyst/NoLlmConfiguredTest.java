package io.llmanalytics.analyst;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The default test profile has no key and no base URL: the service starts, and says how to configure an LLM. */
@QuarkusTest
class NoLlmConfiguredTest {

    @Inject
    AnalystSelector selector;

    @Inject
    LlmConfig config;

    @Test
    void startsWithoutAKeyAndSelectsTheOfflineAnalyst() {
        assertTrue(config.apiKey().isEmpty());
        assertTrue(config.baseUrl().isEmpty());
        assertEquals(LlmConfig.AnalystMode.AUTO, config.analyst());
        assertEquals("offline", selector.mode());
        // the llm component is not critical: its details are there whatever the overall status (the validator may
        // still be warming up right after start)
        RestAssured.get("/api/health")
                .then()
                .body("components.llm.status", equalTo("up"))
                .body("components.llm.details.mode", equalTo("offline"))
                .body("components.llm.details.available", equalTo(true));
    }

    @Test
    void theOfflineAnalystAnswersWhenNoLlmIsConfigured() {
        assertEquals("offline", selector.active().name());
    }

    @Test
    void readsTheDefaultsOfEverySetting() {
        assertEquals("gpt-4o-mini", config.model());
        assertEquals(0.1, config.codeGenerationTemperature());
        assertEquals(0.3, config.interpretationTemperature());
        assertEquals(3, config.maxAttempts());
        assertEquals(3, config.contextLookback());
        assertEquals(false, config.privacyMode());
        assertEquals(2, config.retry().maxRetries());
        assertEquals(10, config.circuitBreaker().requestVolumeThreshold());
    }
}
