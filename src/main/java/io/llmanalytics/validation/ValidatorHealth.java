package io.llmanalytics.validation;

import io.llmanalytics.health.ComponentHealth;
import io.llmanalytics.health.HealthContributor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validator in {@code GET /api/health}: up while it starts or serves (questions asked during the warm-up wait for
 * the first warm context), down when it failed or closed; {@code warming}, {@code contexts} (existing) and
 * {@code ready_contexts} (warm) tell how far the warm-up is, and how far the pool has grown towards
 * {@code max_contexts} under load.
 */
@ApplicationScoped
public class ValidatorHealth implements HealthContributor {

    private final CodeValidator validator;

    public ValidatorHealth(CodeValidator validator) {
        this.validator = validator;
    }

    @Override
    public String name() {
        return "validator";
    }

    @Override
    public Uni<ComponentHealth> check() {
        ValidatorPool.Status status = validator.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", status.state().name().toLowerCase());
        details.put("warming", status.warming());
        details.put("contexts", status.contexts());
        details.put("ready_contexts", status.ready());
        details.put("initial_contexts", status.initial());
        details.put("max_contexts", status.size());
        if (status.firstWarmMillis() >= 0) {
            details.put("first_warm_ms", status.firstWarmMillis());
        }
        if (status.warmUpMillis() >= 0) {
            details.put("warm_up_ms", status.warmUpMillis());
        }
        details.put("checks", status.checks());
        details.put("queued", status.queued());
        if (status.error() != null) {
            details.put("error", status.error());
        }
        return Uni.createFrom().item(status.serving() ? ComponentHealth.up(details) : ComponentHealth.down(details));
    }
}
