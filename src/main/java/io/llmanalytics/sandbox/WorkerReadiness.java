package io.llmanalytics.sandbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready} waits for the worker: the service is not ready to analyse before it. */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {

    private final Sandbox sandbox;

    public WorkerReadiness(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public HealthCheckResponse call() {
        SandboxStatus status = sandbox.status();
        return HealthCheckResponse.named("worker")
                .status(status.ready() || !status.enabled())
                .withData("enabled", status.enabled())
                .withData("cached_sessions", status.cachedSessions())
                .withData("queued", status.queued())
                .build();
    }
}
