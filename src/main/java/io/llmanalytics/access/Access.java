package io.llmanalytics.access;

import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.store.StoreConfig;
import io.quarkus.logging.Log;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoDatabase;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The service's access settings at run time: the API keys (none: open mode) and each caller's limits. Built at
 * start-up, so a bad key setting stops the service with a message naming it.
 */
@ApplicationScoped
public class Access {

    private final KeyRing keys;
    private final CallerLimits limits;
    private final SharedLimits shared;
    private final AccessConfig config;
    private final Vertx vertx;
    private long sweeper = -1;
    private long heartbeat = -1;

    public Access(AccessConfig config, Vertx vertx, ReactiveMongoClient client, StoreConfig store) {
        this.config = config;
        this.vertx = vertx;
        try {
            this.keys = KeyRing.load(config.apiKeys(), config.apiKeysFile());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid access setting: " + e.getMessage(), e);
        }
        this.limits = new CallerLimits(config.limits(), System::nanoTime);
        AccessConfig.Limits l = config.limits();
        boolean anyLimit = l.uploadsPerMinute() > 0 || l.analysesPerMinute() > 0 || l.concurrentStreams() > 0;
        if (config.shared().enabled() && anyLimit) {
            ReactiveMongoDatabase db = client.getDatabase(store.database());
            this.shared = new SharedLimits(
                    db.getCollection(SharedLimits.WINDOWS),
                    db.getCollection(SharedLimits.STREAMS),
                    store.timeout(),
                    config.shared().streamLease(),
                    System::currentTimeMillis);
        } else {
            this.shared = null;
        }
    }

    void start(@Observes StartupEvent event) {
        announce();
        sweeper = vertx.setPeriodic(RateWindow.WINDOW_NANOS / 1_000_000, id -> {
            limits.sweep();
            if (shared != null) {
                shared.sweep()
                        .subscribe()
                        .with(done -> {}, e -> Log.debugf("Expired limit documents not swept: %s", e.getMessage()));
            }
        });
        if (shared != null) {
            long every = Math.max(100, config.shared().streamLease().toMillis() / 3);
            heartbeat = vertx.setPeriodic(
                    every,
                    id -> shared.heartbeat()
                            .subscribe()
                            .with(done -> {}, e -> Log.debugf("Stream leases not refreshed: %s", e.getMessage())));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        if (heartbeat >= 0) {
            vertx.cancelTimer(heartbeat);
        }
    }

    /** Says at start-up which mode the service runs in: open mode is a warning. */
    void announce() {
        if (keys.isOpen()) {
            Log.warn("Access: open mode. No API keys are configured (API_KEYS, API_KEYS_FILE), so anyone who can reach "
                    + "/api can upload, read and delete every session; limits apply per client address. Set API_KEYS "
                    + "or API_KEYS_FILE before sharing this service.");
        } else {
            Log.infof(
                    "Access: API keys (%d configured); every /api call needs 'Authorization: Bearer <key>', and "
                            + "sessions are visible only to the key that created them.",
                    keys.size());
        }
    }

    public boolean isOpen() {
        return keys.isOpen();
    }

    /** The caller id of {@code key} when it is one of the configured keys. */
    Optional<String> idOf(String key) {
        return keys.idOf(key);
    }

    CallerLimits limits() {
        return limits;
    }

    /**
     * Counts one event of {@code kind} for {@code key} in this minute across all instances, failing with 429 (and
     * Retry-After) past {@code limit}; {@code allowed} completes "This caller may ...". Nothing is counted when the
     * store's limits are off ({@code SHARED_LIMITS=false}, or no access limit set): then only the caller's own
     * per-instance check applies.
     */
    public Uni<Void> countAcrossInstances(String kind, String key, int limit, String allowed) {
        return shared == null || limit <= 0 ? Uni.createFrom().voidItem() : shared.count(kind, key, limit, allowed);
    }

    /** The limits in the store; empty when sharing is off or no limit is on. */
    Optional<SharedLimits> shared() {
        return Optional.ofNullable(shared);
    }

    AccessConfig config() {
        return config;
    }

    /** Largest JSON request body, in bytes. */
    long maxJsonBody() {
        return config.limits().jsonBodySize().asLongValue();
    }

    /** The 413 problem of a JSON body over the limit. */
    ProblemException jsonBodyTooLarge() {
        long max = maxJsonBody();
        return new ProblemException(Problem.of(
                        ProblemType.BODY_TOO_LARGE,
                        "A JSON request body (such as an analyze " + "question) may have at most " + max
                                + " bytes (MAX_JSON_BODY_SIZE); send just the question.")
                .with("max_bytes", max));
    }

    /** What {@code GET /api/health} shows: the mode, the number of keys, the limits. */
    Map<String, Object> describe() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", keys.isOpen() ? "open" : "api-keys");
        if (!keys.isOpen()) {
            details.put("keys", keys.size());
        }
        AccessConfig.Limits l = config.limits();
        details.put("limits_per", keys.isOpen() ? "client address" : "key");
        details.put("uploads_per_minute", l.uploadsPerMinute());
        details.put("analyses_per_minute", l.analysesPerMinute());
        details.put("concurrent_streams", l.concurrentStreams());
        details.put("stored_bytes", l.storedBytes().asLongValue());
        details.put("tracked_callers", limits.tracked());
        details.put("counted_in", shared == null ? "this instance" : "store, across instances");
        if (shared != null) {
            details.put("stream_lease_seconds", config.shared().streamLease().toSeconds());
            details.put("streams_held_here", shared.held());
            details.put("store_round_trips", shared.roundTrips());
        }
        return details;
    }
}
