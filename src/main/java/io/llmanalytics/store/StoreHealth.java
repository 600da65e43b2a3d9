package io.llmanalytics.store;

import io.llmanalytics.health.ComponentHealth;
import io.llmanalytics.health.HealthContributor;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.bson.Document;

/** The store is up when it answers a ping. */
@ApplicationScoped
public class StoreHealth implements HealthContributor {

    private final ReactiveMongoClient client;
    private final StoreConfig config;
    private final StoreClientCustomizer customizer;

    public StoreHealth(ReactiveMongoClient client, StoreConfig config, StoreClientCustomizer customizer) {
        this.client = client;
        this.config = config;
        this.customizer = customizer;
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public Uni<ComponentHealth> check() {
        long start = System.nanoTime();
        return client.getDatabase(config.database())
                .runCommand(new Document("ping", 1))
                .map(ok -> ComponentHealth.up(
                        Map.of("kind", customizer.describe(), "ping_ms", (System.nanoTime() - start) / 1_000_000)))
                .onFailure()
                .recoverWithItem(e -> ComponentHealth.down(Map.of(
                        "kind",
                        customizer.describe(),
                        "error",
                        "not reachable: " + e.getClass().getSimpleName())));
    }
}
