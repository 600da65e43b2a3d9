package io.llmanalytics.validation;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The validator in {@code /q/health/ready}: up while its contexts warm in the background (a question asked then waits
 * for the first warm context, it is not refused), down only when it failed or closed. Its data says how far the
 * warm-up is ({@code warming}, {@code ready_contexts}) for operators and benches that need a warm validator.
 */
@Readiness
@ApplicationScoped
public class ValidatorReadiness implements HealthCheck {

    private final CodeValidator validator;

    public ValidatorReadiness(CodeValidator validator) {
        this.validator = validator;
    }

    @Override
    public HealthCheckResponse call() {
        ValidatorPool.Status status = validator.status();
        return HealthCheckResponse.named("validator")
                .status(status.serving())
                .withData("state", status.state().name().toLowerCase())
                .withData("warming", status.warming())
                .withData("ready_contexts", status.ready())
                .withData("contexts", status.contexts())
                .withData("max_contexts", status.size())
                .build();
    }
}
