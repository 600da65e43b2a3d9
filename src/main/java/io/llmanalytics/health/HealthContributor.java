package io.llmanalytics.health;

import io.smallrye.mutiny.Uni;

/** One part of the service that reports its state in {@code GET /api/health}. */
public interface HealthContributor {

    /** The key under which this part appears. */
    String name();

    /** The current state; must complete quickly and never fail. */
    Uni<ComponentHealth> check();

    /** Whether the service is unusable while this part is down. */
    default boolean critical() {
        return true;
    }
}
