package io.llmanalytics.api;

import io.llmanalytics.health.ComponentHealth;
import io.llmanalytics.health.HealthContributor;
import io.llmanalytics.health.HealthReport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/** The service's own view of its dependencies, for people and dashboards. */
@Path("/api/health")
public class HealthResource {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    private final List<HealthContributor> contributors;

    public HealthResource(Instance<HealthContributor> contributors) {
        this.contributors = contributors.stream().toList();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<HealthReport>> health() {
        List<Uni<ComponentHealth>> checks = contributors.stream()
                .map(c -> c.check()
                        .ifNoItem()
                        .after(CHECK_TIMEOUT)
                        .recoverWithItem(() -> ComponentHealth.down(
                                Map.of("error", "no answer within " + CHECK_TIMEOUT.toSeconds() + " s")))
                        .onFailure()
                        .recoverWithItem(e -> ComponentHealth.down(Map.of("error", String.valueOf(e.getMessage())))))
                .toList();
        if (checks.isEmpty()) {
            return Uni.createFrom().item(RestResponse.ok(new HealthReport(ComponentHealth.UP, Map.of())));
        }
        return Uni.join().all(checks).andFailFast().map(results -> {
            Map<String, ComponentHealth> components = new LinkedHashMap<>();
            boolean up = true;
            for (int i = 0; i < results.size(); i++) {
                HealthContributor contributor = contributors.get(i);
                components.put(contributor.name(), results.get(i));
                up &= !contributor.critical() || results.get(i).isUp();
            }
            HealthReport report = new HealthReport(up ? ComponentHealth.UP : ComponentHealth.DOWN, components);
            return up ? RestResponse.ok(report) : RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE, report);
        });
    }
}
