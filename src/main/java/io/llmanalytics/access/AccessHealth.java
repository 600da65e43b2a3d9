package io.llmanalytics.access;

import io.llmanalytics.health.ComponentHealth;
import io.llmanalytics.health.HealthContributor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Shows in {@code GET /api/health} whether the service is open or needs API keys, and the limits per caller. */
@ApplicationScoped
public class AccessHealth implements HealthContributor {

    private final Access access;

    public AccessHealth(Access access) {
        this.access = access;
    }

    @Override
    public String name() {
        return "access";
    }

    @Override
    public Uni<ComponentHealth> check() {
        return Uni.createFrom().item(() -> ComponentHealth.up(access.describe()));
    }

    @Override
    public boolean critical() {
        return false;
    }
}
