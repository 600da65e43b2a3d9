package io.llmanalytics.validation;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready} waits for the validator's contexts: a request never pays GraalPy's cold start. */
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
                .status(validator.ready())
                .withData("state", status.state().name().toLowerCase())
                .withData("ready_contexts", status.ready())
                .withData("contexts", status.size())
                .build();
    }
}
