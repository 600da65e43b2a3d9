package io.llmanalytics.analyst;

import io.llmanalytics.health.ComponentHealth;
import io.llmanalytics.health.HealthContributor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The language-model stage in {@code GET /api/health} as {@code llm}: the mode ({@code openai}/{@code offline}) and
 * what the selected analyst reports of itself ({@link Analyst#health()}; for the OpenAI analyst model, endpoint host
 * and circuit-breaker state). Not critical: questions can still fail with a clear problem while the rest of the
 * service works. Down when the selected analyst is missing or reports itself down.
 */
@ApplicationScoped
public class LlmHealth implements HealthContributor {

    private final AnalystSelector selector;

    public LlmHealth(AnalystSelector selector) {
        this.selector = selector;
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
            Optional<Analyst> analyst = selector.byName(mode);
            if (analyst.isEmpty()) {
                details.put("available", false);
                return ComponentHealth.down(details);
            }
            AnalystHealth health = analyst.get().health();
            details.putAll(health.details());
            return health.up() ? ComponentHealth.up(details) : ComponentHealth.down(details);
        });
    }
}
