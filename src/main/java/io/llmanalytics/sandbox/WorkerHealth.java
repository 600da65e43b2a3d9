package io.llmanalytics.sandbox;

import io.llmanalytics.health.ComponentHealth;
import io.llmanalytics.health.HealthContributor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** The worker in {@code GET /api/health}: up when its supervisor is ready. */
@ApplicationScoped
public class WorkerHealth implements HealthContributor {

    private final Sandbox sandbox;

    public WorkerHealth(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public String name() {
        return "worker";
    }

    @Override
    public Uni<ComponentHealth> check() {
        SandboxStatus status = sandbox.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("enabled", status.enabled());
        if (status.pid() != null) {
            details.put("pid", status.pid());
            details.put("python", status.python());
            details.put("pandas", status.pandas());
        }
        Confinement confinement = status.confinement();
        if (confinement != null) {
            Map<String, Object> confined = new LinkedHashMap<>();
            confined.put("confined", confinement.confined());
            confined.put("landlock_abi", confinement.landlockAbi());
            confined.put("filesystem", confinement.filesystem());
            confined.put("network", confinement.network());
            confined.put("signals", confinement.signals());
            if (confinement.problem() != null) {
                confined.put("problem", confinement.problem());
            }
            details.put("confinement", confined);
            if (!confinement.mayRun()) {
                details.put("refusing", Sandbox.unconfined(confinement).getMessage());
            }
        }
        details.put("allow_unconfined", status.allowUnconfined());
        details.put("cached_sessions", status.cachedSessions());
        details.put("cached_bytes", status.cachedBytes());
        details.put("running", status.running());
        details.put("queued", status.queued());
        details.put("slots", status.slots());
        details.put("queue_size", status.queueSize());
        details.put("standby_ready", status.standbyReady());
        details.put("restarts", status.restarts());
        if (status.lastProblem() != null) {
            details.put("last_problem", status.lastProblem());
        }
        boolean up = status.ready() && (confinement == null || confinement.mayRun());
        return Uni.createFrom().item(up ? ComponentHealth.up(details) : ComponentHealth.down(details));
    }

    @Override
    public boolean critical() {
        return sandbox.status().enabled();
    }
}
