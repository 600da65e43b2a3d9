package io.llmanalytics.analyst;

import io.llmanalytics.analyst.openai.CircuitBreaker;
import io.llmanalytics.analyst.openai.LlmGuard;
import io.llmanalytics.analyst.openai.OpenAiEndpoint;
import io.llmanalytics.health.ComponentHealth;
import io.llmanalytics.health.HealthContributor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The language-model stage in {@code GET /api/health} as {@code llm}: mode ({@code openai}/{@code offline}), model,
 * endpoint host and circuit-breaker state. Not critical: questions can still fail with a clear problem while the
 * rest of the service works. Down when the OpenAI analyst is selected but unconfigured or its breaker is open.
 */
@ApplicationScoped
public class LlmHealth implements HealthContributor {

    private final AnalystSelector selector;
    private final OpenAiEndpoint endpoint;
    private final LlmGuard guard;

    public LlmHealth(AnalystSelector selector, OpenAiEndpoint endpoint, LlmGuard guard) {
        this.selector = selector;
        this.endpoint = endpoint;
        this.guard = guard;
    }

    @Override
    public String name() {
        return "llm";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Uni<ComponentHealth> check() {
        return Uni.createFrom().item(() -> {
            String mode = selector.mode();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mode", mode);
            if (AnalystSelector.OFFLINE.equals(mode)) {
                details.put(
                        "available", selector.byName(AnalystSelector.OFFLINE).isPresent());
                return selector.byName(AnalystSelector.OFFLINE).isPresent()
                        ? ComponentHealth.up(details)
                        : ComponentHealth.down(details);
            }
            details.put("model", endpoint.model());
            details.put("endpoint", endpoint.endpointHost());
            details.put("configured", endpoint.configured());
            CircuitBreaker.State state = guard.breaker().state();
            details.put("circuit_breaker", state.name().toLowerCase(Locale.ROOT));
            boolean up = endpoint.configured() && state != CircuitBreaker.State.OPEN;
            return up ? ComponentHealth.up(details) : ComponentHealth.down(details);
        });
    }
}
