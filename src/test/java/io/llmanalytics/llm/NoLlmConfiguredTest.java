package io.llmanalytics.llm;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

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
        // the overall status can still be 503 while the validator warms up: only the llm component is asserted
        RestAssured.get("/api/health").then()
                .body("components.llm.details.mode", equalTo("offline"))
                .body("components.llm.details.available", equalTo(false));
    }

    @Test
    void explainsHowToConfigureAnLlmUntilTheOfflineAnalystExists() {
        ProblemException problem = assertThrows(ProblemException.class, selector::active);
        assertEquals(ProblemType.LLM_NOT_CONFIGURED, problem.type());
        assertTrue(problem.getMessage().contains("OPENAI_API_KEY"), problem.getMessage());
        assertTrue(problem.getMessage().contains("OPENAI_BASE_URL"), problem.getMessage());
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
