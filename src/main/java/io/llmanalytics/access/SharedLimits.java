package io.llmanalytics.access;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.llmanalytics.store.StoreCalls;
import io.quarkus.logging.Log;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.bson.Document;

/**
 * The per-caller limits kept in the store, so that they hold in total across every instance serving one store.
 *
 * <p><b>Per-minute counts</b>: one document per caller, kind and minute ({@code _id = kind|caller|minute}), counted
 * with one {@code findOneAndUpdate} ({@code $inc}, upsert, the document after): the count of that minute across all
 * instances. Minutes are wall-clock minutes (epoch millis / 60 000), so instances agree as far as their clocks do.
 * Documents of past minutes are never read again (their id names the minute); {@link #sweep} deletes them by comparing
 * timestamps, not by a TTL index (the embedded server does not expire documents).
 *
 * <p><b>Stream slots</b>: one document per caller holding its leases ({@code leases: [{id, pod, until}]}) and a
 * version {@code v}. A slot is taken by one atomic update that pushes the lease on condition that the list holds fewer
 * than the limit ({@code leases.<limit-1>} absent; one round trip, so any number of analyses of one caller starting at
 * once never contend); when the list is full, leases that ended are pulled and the push is tried once more (three round
 * trips). A lease lives {@code lease} past its last heartbeat: the instance refreshes its own leases every third of that
 * ({@link #heartbeat}, a compare-and-set on {@code v}, which every change increments), so a killed instance's slots
 * come back within one lease time. Released with one {@code $pull}.
 */
final class SharedLimits {

    static final String WINDOWS = "caller_windows";
    static final String STREAMS = "caller_streams";
    static final long MINUTE_MILLIS = 60_000;
    /**
     * Compare-and-set attempts of a heartbeat's refresh. Attempts after a conflict wait a jittered, growing pause
     * ({@link #CAS_FIRST_PAUSE} doubling up to {@link #CAS_LAST_PAUSE}), so that a refresh gets through while many
     * analyses of its caller start and end.
     */
    static final int CAS_TRIES = 16;

    private static final Duration CAS_FIRST_PAUSE = Duration.ofMillis(2);
    private static final Duration CAS_LAST_PAUSE = Duration.ofMillis(100);
    private static final int DUPLICATE_KEY = 11000;

    /** A slot held by this instance, refreshed by the heartbeat until released or too old. */
    private record Held(String caller, long since) {}

    /** Thrown when another instance changed the caller's leases between read and write: try again. */
    private static final class Conflict extends RuntimeException {
        Conflict() {
            super(null, null, false, false);
        }
    }

    private final ReactiveMongoCollection<Document> windows;
    private final ReactiveMongoCollection<Document> streams;
    private final Duration timeout;
    private final long leaseMillis;
    private final LongSupplier clock;
    private final String pod = UUID.randomUUID().toString();
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final AtomicLong roundTrips = new AtomicLong();

    SharedLimits(
            ReactiveMongoCollection<Document> windows,
            ReactiveMongoCollection<Document> streams,
            Duration timeout,
            Duration lease,
            LongSupplier wallClockMillis) {
        this.windows = windows;
        this.streams = streams;
        this.timeout = timeout;
        this.leaseMillis = lease.toMillis();
        this.clock = wallClockMillis;
    }

    /**
     * Counts one more event of {@code kind} for {@code caller} in this minute across all instances; fails with 429
     * (Retry-After: the rest of the minute) when the count passes {@code limit}.
     */
    Uni<Void> count(String kind, String caller, int limit, String allowed) {
        long now = clock.getAsLong();
        long minute = now / MINUTE_MILLIS;
        String id = kind + "|" + caller + "|" + minute;
        Uni<Document> counted = Uni.createFrom().deferred(() -> {
            roundTrips.incrementAndGet();
            return windows.findOneAndUpdate(
                    Filters.eq("_id", id),
                    Updates.combine(Updates.inc("n", 1), Updates.setOnInsert("expires", (minute + 1) * MINUTE_MILLIS)),
                    // the projection makes the embedded store answer a copy taken under its collection lock: its
                    // plain answer is the stored document itself, encoded after the lock, when another $inc may have
                    // moved it (two callers then see the same count)
                    new FindOneAndUpdateOptions()
                            .upsert(true)
                            .projection(Projections.include("n"))
                            .returnDocument(ReturnDocument.AFTER));
        });
        return guard(counted.onFailure(SharedLimits::duplicateKey).retry().atMost(2))
                .invoke(doc -> {
                    long n = ((Number) doc.get("n")).longValue();
                    if (n > limit) {
                        throw CallerLimits.tooMany(
                                "This caller may " + allowed, Duration.ofMillis((minute + 1) * MINUTE_MILLIS - now));
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Takes one of {@code caller}'s {@code limit} stream slots across all instances, or fails with 429. The item is
     * the release (idempotent; its Uni never fails: a release that cannot reach the store leaves the lease to expire).
     */
    Uni<Supplier<Uni<Void>>> openStream(String caller, int limit) {
        String leaseId = UUID.randomUUID().toString();
        Uni<Void> take = push(caller, leaseId, limit)
                .chain(taken -> taken
                        ? Uni.createFrom().item(true)
                        : dropExpired(caller).chain(() -> push(caller, leaseId, limit)))
                .invoke(taken -> {
                    if (!taken) {
                        throw CallerLimits.tooMany(
                                "This caller may have at most " + limit + " analyses running at once "
                                        + "(RATE_LIMIT_CONCURRENT_STREAMS=" + limit
                                        + "), counted across all instances; wait for one to finish",
                                CallerLimits.STREAM_RETRY);
                    }
                })
                .replaceWithVoid();
        return guard(take).map(ignored -> {
            held.put(leaseId, new Held(caller, clock.getAsLong()));
            return () -> release(caller, leaseId);
        });
    }

    /**
     * Adds a lease in one atomic update, on condition that fewer than {@code limit} leases are listed (expired ones
     * count until dropped). The caller's document is created by the first lease; {@code false} when it was full, or
     * when another instance created the document at the same moment.
     */
    private Uni<Boolean> push(String caller, String leaseId, int limit) {
        roundTrips.incrementAndGet();
        long until = clock.getAsLong() + leaseMillis;
        return streams.updateOne(
                        Filters.and(Filters.eq("_id", caller), Filters.exists("leases." + (limit - 1), false)),
                        Updates.combine(
                                Updates.push(
                                        "leases",
                                        new Document("id", leaseId)
                                                .append("pod", pod)
                                                .append("until", until)),
                                Updates.max("until", until),
                                Updates.inc("v", 1L)),
                        new UpdateOptions().upsert(true))
                .map(result -> result.getMatchedCount() > 0 || result.getUpsertedId() != null)
                .onFailure(SharedLimits::duplicateKey)
                .recoverWithItem(false);
    }

    /** Drops the caller's leases that ended (their instance stopped refreshing them). */
    private Uni<Void> dropExpired(String caller) {
        roundTrips.incrementAndGet();
        return streams.updateOne(
                        Filters.eq("_id", caller),
                        Updates.combine(
                                Updates.pull("leases", Filters.lte("until", clock.getAsLong())), Updates.inc("v", 1L)))
                .replaceWithVoid();
    }

    /** Writes the refreshed {@code leases} if the document is still the one read (compare-and-set on {@code v}). */
    private Uni<Void> write(String caller, Document read, List<Document> leases) {
        roundTrips.incrementAndGet();
        long v = ((Number) read.get("v")).longValue();
        return streams.updateOne(
                        Filters.and(Filters.eq("_id", caller), Filters.eq("v", v)),
                        Updates.combine(
                                Updates.set("leases", leases),
                                Updates.set("v", v + 1),
                                Updates.set("until", lastUntil(leases))))
                .invoke(result -> {
                    if (result.getMatchedCount() == 0) {
                        throw new Conflict();
                    }
                })
                .replaceWithVoid();
    }

    private static long lastUntil(List<Document> leases) {
        return leases.stream()
                .mapToLong(d -> ((Number) d.get("until")).longValue())
                .max()
                .orElse(0);
    }

    private static List<Document> live(Document doc, long now) {
        List<Document> live = new ArrayList<>();
        if (doc != null && doc.get("leases") instanceof List<?> leases) {
            for (Object lease : leases) {
                if (lease instanceof Document d && d.get("until") instanceof Number until && until.longValue() > now) {
                    live.add(d);
                }
            }
        }
        return live;
    }

    /** Gives a lease back: completes once the store has it (or could not be reached: the lease expires). */
    private Uni<Void> release(String caller, String leaseId) {
        if (held.remove(leaseId) == null) {
            return Uni.createFrom().voidItem();
        }
        roundTrips.incrementAndGet();
        return guard(streams.updateOne(
                        Filters.eq("_id", caller),
                        Updates.combine(Updates.pull("leases", Filters.eq("id", leaseId)), Updates.inc("v", 1L))))
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    Log.debugf(
                            "A stream slot was not given back (%s); its lease expires",
                            e.getClass().getSimpleName());
                    return null;
                });
    }

    /**
     * Extends this instance's live leases by another lease time (one compare-and-set per caller with streams here).
     * Slots held longer than {@link CallerLimits#STREAM_MAX_AGE_NANOS} are no longer refreshed.
     */
    Uni<Void> heartbeat() {
        long now = clock.getAsLong();
        long maxAge = CallerLimits.STREAM_MAX_AGE_NANOS / 1_000_000;
        held.values().removeIf(h -> now - h.since() > maxAge);
        List<String> callers =
                held.values().stream().map(Held::caller).distinct().toList();
        if (callers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(callers.stream().map(this::refresh).toList())
                .andCollectFailures()
                .replaceWithVoid();
    }

    private Uni<Void> refresh(String caller) {
        return guard(retriedOnConflict(Uni.createFrom().deferred(() -> {
            roundTrips.incrementAndGet();
            return streams.find(Filters.eq("_id", caller)).collect().first().chain(doc -> {
                long now = clock.getAsLong();
                List<Document> live = live(doc, now);
                if (doc == null) {
                    return Uni.createFrom().voidItem();
                }
                for (Document lease : live) {
                    if (held.containsKey(lease.getString("id"))) {
                        lease.put("until", now + leaseMillis);
                    }
                }
                return write(caller, doc, live);
            });
        })));
    }

    /** {@code attempt} tried again after a conflict, pausing a little longer each time, at most {@link #CAS_TRIES}. */
    private static Uni<Void> retriedOnConflict(Uni<Void> attempt) {
        return attempt.onFailure(Conflict.class).retry().atMost(7);
    }

    /**
     * Deletes the count documents of past minutes and the lease documents whose last lease ended (each document's
     * {@code until} is the latest of its leases when written). A write racing with the delete finds no document,
     * which is a conflict: it is tried again.
     */
    Uni<Void> sweep() {
        long now = clock.getAsLong();
        roundTrips.addAndGet(2);
        return guard(windows.deleteMany(Filters.lt("expires", now))
                        .chain(() -> streams.deleteMany(Filters.lt("until", now))))
                .replaceWithVoid();
    }

    /** Live slots of {@code caller} in the store (all instances). */
    Uni<Integer> streams(String caller) {
        return guard(streams.find(Filters.eq("_id", caller)).collect().first())
                .map(doc -> live(doc, clock.getAsLong()).size());
    }

    /** Slots this instance holds. */
    int held() {
        return held.size();
    }

    /** Store operations made for limits so far (for the benchmark and health). */
    long roundTrips() {
        return roundTrips.get();
    }

    /** Bounds a store call by the store timeout and maps failures to reach the store to a 503 problem. */
    private <T> Uni<T> guard(Uni<T> call) {
        return call.plug(StoreCalls.within(timeout));
    }

    private static boolean duplicateKey(Throwable e) {
        return e instanceof MongoWriteException w && w.getError().getCode() == DUPLICATE_KEY
                || e instanceof MongoCommandException c && c.getErrorCode() == DUPLICATE_KEY;
    }
}
