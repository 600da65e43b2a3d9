package io.llmanalytics.session;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.dictionary.StoredDictionary;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.store.StoreCalls;
import io.llmanalytics.store.StoreConfig;
import io.quarkus.logging.Log;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The one owner of a session's interactions: they live in their own collection ({@value #INTERACTIONS}, indexed by
 * session and sequence), every one kept up to {@code store.max-interactions} per session (the oldest beyond it are
 * dropped at append). This class alone knows the collection's field names; others call it with
 * {@link StoredInteraction} records, encoded by the record codecs. Every call is bounded by the store timeout.
 */
@ApplicationScoped
public class SessionStore {

    /** The collection holding the interactions. */
    public static final String INTERACTIONS = "interactions";

    /** The detail of the 404 that ends an analysis whose session was deleted while it ran. */
    public static final String SESSION_DELETED = "The session was deleted during the analysis.";

    /** The session document's count of interactions appended to it (their sequence numbers). */
    static final String COUNTER = "interactionCount";

    /** The session document's count of interactions moved from its former {@code history} array. */
    static final String MOVED = "interactionsMoved";

    private final ReactiveMongoCollection<InteractionDocument> interactions;
    private final ReactiveMongoCollection<Document> sessions;
    private final StoreConfig config;
    private final SessionRepository repository;
    private final RecentInteractions recent;

    public SessionStore(ReactiveMongoClient client, StoreConfig config, SessionRepository repository) {
        this.repository = repository;
        this.recent = new RecentInteractions(config.recentCacheSessions());
        this.interactions =
                client.getDatabase(config.database()).getCollection(INTERACTIONS, InteractionDocument.class);
        this.sessions = client.getDatabase(config.database()).getCollection("sessions");
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        interactions
                .createIndex(Indexes.ascending("sessionId", "seq"), new IndexOptions().unique(true))
                .plug(within())
                .subscribe()
                .with(name -> {}, e -> Log.warnf("Index of the interactions not created: %s", e.getMessage()));
    }

    /** Stores a new session document (without verified answers, see {@link #markVerified}). */
    public Uni<Void> createSession(SessionDocument session) {
        if (session.verifiedAnswers == null) {
            session.verifiedAnswers = false; // a new session has none
        }
        return repository.persist(session).plug(within()).replaceWithVoid();
    }

    /**
     * Adds datasets to a session unless one of the same name is there already, sets its join keys and adds
     * {@code bytes} to its size; false when nothing matched (the session was deleted, or a name was taken meanwhile).
     */
    public Uni<Boolean> addDatasets(
            String sessionId, List<DatasetDocument> added, List<SharedColumn> shared, long bytes) {
        List<String> names = added.stream().map(DatasetDocument::name).toList();
        return updateDatasets(
                Filters.and(Filters.eq("_id", sessionId), Filters.nin("datasets.name", names)),
                Updates.pushEach("datasets", added),
                shared,
                bytes);
    }

    /**
     * Replaces a session's datasets (one refreshed dataset, whose old file is {@code oldFileId}) and join keys, and
     * adds {@code delta} to its size; false when nothing matched (deleted, or refreshed meanwhile).
     */
    public Uni<Boolean> replaceDatasets(
            String sessionId, String oldFileId, List<DatasetDocument> all, List<SharedColumn> shared, long delta) {
        return updateDatasets(
                Filters.and(Filters.eq("_id", sessionId), Filters.eq("datasets.fileId", oldFileId)),
                Updates.set("datasets", all),
                shared,
                delta);
    }

    /** One write of a session's datasets, join keys and size; false when {@code filter} matched nothing. */
    private Uni<Boolean> updateDatasets(Bson filter, Bson datasets, List<SharedColumn> shared, long sizeDelta) {
        return repository
                .mongoCollection()
                .updateOne(
                        filter,
                        Updates.combine(
                                datasets, Updates.set("sharedColumns", shared), Updates.inc("fileSize", sizeDelta)))
                .plug(within())
                .map(result -> result.getMatchedCount() > 0);
    }

    /**
     * Stores the dictionary of one dataset of a session (the dataset as {@code fileId} has it); false when nothing
     * matched (the session was deleted, or the dataset refreshed or gone meanwhile).
     */
    public Uni<Boolean> saveDictionary(String sessionId, String dataset, String fileId, StoredDictionary dictionary) {
        return repository
                .mongoCollection()
                .updateOne(
                        Filters.and(
                                Filters.eq("_id", sessionId),
                                Filters.elemMatch(
                                        "datasets",
                                        Filters.and(Filters.eq("name", dataset), Filters.eq("fileId", fileId)))),
                        Updates.set("datasets.$.dictionary", dictionary))
                .plug(within())
                .map(result -> result.getMatchedCount() > 0);
    }

    /** The session document's mark that it may have verified answers, and its count of verifications begun. */
    static final String VERIFIED_MARK = "verifiedAnswers";

    static final String VERIFICATIONS = "verifications";

    /**
     * Marks a session as having verified answers, before one is stored and again after: a question whose session is
     * read afterwards looks them up, and a clear of the mark begun before this fails ({@link #clearVerifiedMark}); the
     * second mark undoes a clear by an undo that counted the answers before the put. False when there is no such
     * session.
     */
    public Uni<Boolean> markVerified(String sessionId) {
        return repository
                .mongoCollection()
                .updateOne(
                        Filters.eq("_id", sessionId),
                        Updates.combine(Updates.set(VERIFIED_MARK, true), Updates.inc(VERIFICATIONS, 1L)))
                .plug(within())
                .map(result -> result.getMatchedCount() > 0);
    }

    /**
     * Clears a session's verified-answers mark, once its last verified answer was removed (counted after the removal),
     * unless a verification began since {@code session} was read (its {@code verifications}): that one may store an
     * answer after the count, so the mark stays. A mark left set only costs a lookup that finds nothing.
     */
    public Uni<Void> clearVerifiedMark(SessionDocument session) {
        Bson unchanged = session.verifications == 0
                ? Filters.or(Filters.eq(VERIFICATIONS, 0L), Filters.exists(VERIFICATIONS, false))
                : Filters.eq(VERIFICATIONS, session.verifications);
        return repository
                .mongoCollection()
                .updateOne(Filters.and(Filters.eq("_id", session.id), unchanged), Updates.set(VERIFIED_MARK, false))
                .plug(within())
                .replaceWithVoid();
    }

    /** The session document's field holding the claim of its insights' computation. */
    static final String INSIGHTS_CLAIM = "insights_claim";

    /**
     * Claims the computation of a session's insights for {@code token} until {@code until} (epoch ms), unless they
     * are stored or another claim still holds at {@code now}; true when this call won it.
     */
    public Uni<Boolean> claimInsights(String sessionId, String token, long now, long until) {
        return repository
                .mongoCollection()
                .updateOne(
                        Filters.and(
                                Filters.eq("_id", sessionId),
                                Filters.exists("insights", false),
                                Filters.or(
                                        Filters.exists(INSIGHTS_CLAIM, false),
                                        Filters.lt(INSIGHTS_CLAIM + ".until", now))),
                        Updates.set(INSIGHTS_CLAIM, new StoredInsights.Claim(token, until, null)))
                .plug(within())
                .map(result -> result.getModifiedCount() > 0);
    }

    /** Replaces the claim {@code claim.token()} (if it still holds) by {@code claim}: a failure, until it is retried. */
    public Uni<Void> updateInsightsClaim(String sessionId, StoredInsights.Claim claim) {
        return repository
                .mongoCollection()
                .updateOne(
                        Filters.and(Filters.eq("_id", sessionId), Filters.eq(INSIGHTS_CLAIM + ".token", claim.token())),
                        Updates.set(INSIGHTS_CLAIM, claim))
                .plug(within())
                .replaceWithVoid();
    }

    /** Drops a session's stored insights and any claim (they are computed again). */
    public Uni<Void> clearInsights(String sessionId) {
        return repository
                .mongoCollection()
                .updateOne(
                        Filters.eq("_id", sessionId),
                        Updates.combine(Updates.unset("insights"), Updates.unset(INSIGHTS_CLAIM)))
                .plug(within())
                .replaceWithVoid();
    }

    /** Stores a session's insights if the claim {@code token} is still its own; false when it is not (refreshed). */
    public Uni<Boolean> saveInsights(String sessionId, String token, StoredInsights insights) {
        return repository
                .mongoCollection()
                .updateOne(
                        Filters.and(Filters.eq("_id", sessionId), Filters.eq(INSIGHTS_CLAIM + ".token", token)),
                        Updates.combine(Updates.set("insights", insights), Updates.unset(INSIGHTS_CLAIM)))
                .plug(within())
                .map(result -> result.getMatchedCount() > 0);
    }

    /** What the store holds of a session's insights; empty when there is no such session. */
    public Uni<Optional<StoredInsights.State>> insights(String sessionId) {
        return repository
                .mongoCollection()
                .find(
                        Filters.eq("_id", sessionId),
                        StoredInsights.State.class,
                        new FindOptions()
                                .projection(Projections.fields(
                                        Projections.include("insights", INSIGHTS_CLAIM), Projections.excludeId())))
                .collect()
                .first()
                .plug(within())
                .map(Optional::ofNullable);
    }

    /**
     * Appends one interaction to a session; fails with {@code NOT_FOUND} when the session is gone (never re-created
     * by a late answer) and {@code STORE_UNAVAILABLE} when the store does not answer.
     */
    public Uni<Void> appendInteraction(String sessionId, StoredInteraction interaction) {
        return appendInteraction(sessionId, interaction, null, (step, nanos) -> {});
    }

    /**
     * Appends one interaction as {@link #appendInteraction(String, StoredInteraction)}, numbered by {@code reserved}
     * when it holds a number not taken yet (else numbered now: with a reservation the counter's round trip is off the
     * answer's path), telling {@code steps} how long each of its store round trips took, in nanoseconds: {@code number}
     * (the session's counter, or the wait for the reserved one), {@code insert} (with the drop of the oldest beyond the
     * bound, when due) and {@code check} (the session still exists).
     */
    public Uni<Void> appendInteraction(
            String sessionId, StoredInteraction interaction, Reservation reserved, ObjLongConsumer<String> steps) {
        Uni<Next> number = reserved == null ? null : reserved.take(sessionId);
        return timed("number", number == null ? nextNumber(sessionId) : number, steps)
                .chain(next -> insertInteraction(sessionId, next.seq(), interaction, next.mayExceed(config), steps)
                        .invoke(() -> recent.appended(sessionId, next.seq(), interaction)));
    }

    /**
     * Reserves the number of a session's next interaction now, for an append that comes later (an analysis reserves
     * it when its code first runs, so that the counter's round trip runs beside the worker). The first append
     * given the reservation takes the number; later ones are numbered as they come. A number never taken (the
     * analysis was cancelled) leaves a gap, which the reads by key allow for ({@link #RECENT_SLACK}). A reservation
     * that met a failure of the store (not a deleted session) is replaced by a new number at the append.
     */
    public Reservation reserve(String sessionId) {
        Uni<Next> number = nextNumber(sessionId).memoize().indefinitely();
        number.subscribe().with(next -> {}, failure -> {}); // starts it; the append sees the outcome
        return new Reservation(
                sessionId,
                number.onFailure(e -> !(e instanceof ProblemException p && p.type() == ProblemType.NOT_FOUND))
                        .recoverWithUni(() -> nextNumber(sessionId)));
    }

    /** The number of a session's next interaction, reserved ahead of its append ({@link #reserve}); taken once. */
    public static final class Reservation {

        private final String sessionId;
        private final AtomicReference<Uni<Next>> number;

        private Reservation(String sessionId, Uni<Next> number) {
            this.sessionId = sessionId;
            this.number = new AtomicReference<>(number);
        }

        /** The reserved number for an append to {@code session}, or null when it was taken already. */
        Uni<Next> take(String session) {
            return sessionId.equals(session) ? number.getAndSet(null) : null;
        }
    }

    private static <T> Uni<T> timed(String step, Uni<T> call, ObjLongConsumer<String> steps) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return call.invoke(() -> steps.accept(step, System.nanoTime() - start));
        });
    }

    /**
     * A session's next interaction number, and the interactions it was moved (by {@link HistoryMigration}) from its
     * former history array, read in the same atomic update.
     */
    record Next(long seq, long moved) {

        /**
         * Whether the session may hold more than {@code store.max-interactions} once {@link #seq} is stored: its
         * interactions are at most the moved ones (numbered {@code 1 - moved} up) and those numbered 1 to {@link #seq},
         * so while these are within the bound there is nothing older to drop.
         */
        boolean mayExceed(StoreConfig config) {
            return seq + moved > config.maxInteractions();
        }
    }

    /** The session's next interaction number; {@code NOT_FOUND} when the session is gone. */
    Uni<Long> nextSeq(String sessionId) {
        return nextNumber(sessionId).map(Next::seq);
    }

    private Uni<Next> nextNumber(String sessionId) {
        return sessions.findOneAndUpdate(
                        Filters.eq("_id", sessionId),
                        Updates.inc(COUNTER, 1L),
                        new FindOneAndUpdateOptions()
                                .projection(Projections.include(COUNTER, MOVED))
                                .returnDocument(ReturnDocument.AFTER))
                .plug(within())
                .map(doc -> {
                    if (doc == null) {
                        throw new ProblemException(ProblemType.NOT_FOUND, SESSION_DELETED);
                    }
                    Object moved = doc.get(MOVED);
                    return new Next(
                            ((Number) doc.get(COUNTER)).longValue(), moved instanceof Number n ? n.longValue() : 0L);
                });
    }

    /** Stores interaction {@code seq} of a session (checked to still exist afterwards) and drops the oldest. */
    Uni<Void> insertInteraction(String sessionId, long seq, StoredInteraction interaction) {
        return insertInteraction(sessionId, seq, interaction, true, (step, nanos) -> {});
    }

    /**
     * Stores interaction {@code seq} of a session, checked to still exist afterwards; drops the oldest beyond the
     * bound at the same time when the session {@code mayExceed} it (the drop never touches {@code seq} itself).
     */
    private Uni<Void> insertInteraction(
            String sessionId,
            long seq,
            StoredInteraction interaction,
            boolean mayExceed,
            ObjLongConsumer<String> steps) {
        String key = InteractionDocument.key(sessionId, seq);
        Uni<Void> inserted = timed(
                "insert",
                interactions
                        .insertOne(new InteractionDocument(key, sessionId, seq, interaction))
                        .plug(within())
                        .replaceWithVoid(),
                steps);
        Uni<Void> stored = inserted.chain(() -> timed("check", stillThere(sessionId, key), steps));
        if (!mayExceed) {
            return stored;
        }
        return Uni.combine().all().unis(stored, dropOlderThan(sessionId, seq)).discardItems();
    }

    /**
     * After an interaction was inserted: the session must still exist, else the interaction is removed again and the
     * append fails with {@code NOT_FOUND}. A delete removes the session document before its interactions, so a
     * delete that ran between the counter's update and the insert is seen here, and one that runs after this check
     * removes the interaction itself: no interaction outlives its session.
     */
    private Uni<Void> stillThere(String sessionId, String key) {
        return sessions.find(Filters.eq("_id", sessionId), new FindOptions().projection(Projections.include("_id")))
                .collect()
                .first()
                .plug(within())
                .chain(found -> found != null
                        ? Uni.createFrom().voidItem()
                        : interactions
                                .deleteOne(Filters.eq("_id", key))
                                .plug(within())
                                .invoke(deleted -> {
                                    throw new ProblemException(ProblemType.NOT_FOUND, SESSION_DELETED);
                                })
                                .replaceWithVoid());
    }

    /** Drops the interactions of a session older than the newest {@code store.max-interactions} up to {@code seq}. */
    private Uni<Void> dropOlderThan(String sessionId, long seq) {
        long oldestKept = seq - config.maxInteractions() + 1;
        return interactions
                .deleteMany(Filters.and(Filters.eq("sessionId", sessionId), Filters.lt("seq", oldestKept)))
                .plug(within())
                .replaceWithVoid();
    }

    /**
     * Interactions beyond {@code limit} read by key in {@link #recentInteractions(SessionDocument, int)}: appends in
     * flight (numbered when their code first ran, not yet stored), failed (removed again) or never made (the analysis
     * was cancelled) leave gaps this many wide without the full query.
     */
    static final int RECENT_SLACK = 8;

    /**
     * The newest {@code limit} interactions of a session just read (its counter as read), oldest first: the same
     * interactions as {@link #recentInteractions(String, int)} except for those appended after {@code session} was
     * read (begun after the request that read it), but read by their keys (the {@code _id} index, also on the
     * embedded store, which scans the whole collection for a query by session). Falls back to that query when the keys
     * read hold fewer than {@code limit} interactions and older ones may exist.
     */
    public Uni<List<StoredInteraction>> recentInteractions(SessionDocument session, int limit) {
        if (limit <= 0) {
            return Uni.createFrom().item(List.of());
        }
        List<StoredInteraction> known = limit <= config.maxInteractions() ? recent.get(session, limit) : null;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        long newest = session.interactionCount;
        // a history being moved at start-up is stored (numbered up to 0) before its count is: read its keys too
        long oldest = session.interactionsMoved > 0 ? 1 - session.interactionsMoved : 1 - limit;
        long from = Math.max(oldest, newest - limit - RECENT_SLACK + 1);
        List<String> keys = new ArrayList<>();
        for (long seq = newest; seq >= from; seq--) {
            keys.add(InteractionDocument.key(session.id, seq));
        }
        return interactions
                .find(Filters.in("_id", keys))
                .collect()
                .asList()
                .plug(within())
                .chain(found -> {
                    if (found.size() < limit && from > oldest) {
                        return recentInteractions(session.id, limit); // gaps: older ones may be among the newest
                    }
                    List<InteractionDocument> newestFirst = found.stream()
                            .filter(d -> session.id.equals(d.sessionId()))
                            .sorted(Comparator.comparingLong(InteractionDocument::seq)
                                    .reversed())
                            .limit(limit)
                            .toList();
                    List<StoredInteraction> list = newestFirst.stream()
                            .map(InteractionDocument::interaction)
                            .collect(Collectors.toCollection(ArrayList::new));
                    Collections.reverse(list);
                    if (limit <= config.maxInteractions() && gapFree(session, limit, newestFirst)) {
                        recent.put(session, limit, list);
                    }
                    return Uni.createFrom().item(list);
                });
    }

    /**
     * Whether the interactions read (newest first) are exactly the session's newest {@code limit}, numbered down from
     * its counter without a gap (none in flight or removed again), and nothing beyond: only such a read is kept by
     * {@link RecentInteractions}.
     */
    private static boolean gapFree(SessionDocument session, int limit, List<InteractionDocument> newestFirst) {
        long newest = session.interactionCount;
        long lowest = session.interactionsMoved > 0 ? 1 - session.interactionsMoved : 1;
        long expected = Math.min(limit, Math.max(0, newest - lowest + 1));
        if (newestFirst.size() != expected) {
            return false;
        }
        for (int i = 0; i < newestFirst.size(); i++) {
            if (newestFirst.get(i).seq() != newest - i) {
                return false;
            }
        }
        return true;
    }

    /** The newest {@code limit} interactions of a session, oldest first. */
    public Uni<List<StoredInteraction>> recentInteractions(String sessionId, int limit) {
        return interactions
                .find(
                        Filters.eq("sessionId", sessionId),
                        new FindOptions().sort(Sorts.descending("seq")).limit(limit))
                .map(InteractionDocument::interaction)
                .collect()
                .asList()
                .plug(within())
                .map(newestFirst -> {
                    List<StoredInteraction> list = new ArrayList<>(newestFirst);
                    Collections.reverse(list);
                    return list;
                });
    }

    /** Every kept interaction of a session, oldest first. */
    public Uni<List<StoredInteraction>> allInteractions(String sessionId) {
        return interactions
                .find(Filters.eq("sessionId", sessionId), new FindOptions().sort(Sorts.ascending("seq")))
                .map(InteractionDocument::interaction)
                .collect()
                .asList()
                .plug(within());
    }

    /** One interaction of a session by its id (the conversation id of its answer). */
    public Uni<Optional<StoredInteraction>> interaction(String sessionId, String interactionId) {
        return interactions
                .find(Filters.and(
                        Filters.eq("sessionId", sessionId), Filters.eq("interaction.conversationId", interactionId)))
                .map(InteractionDocument::interaction)
                .collect()
                .first()
                .plug(within())
                .map(Optional::ofNullable);
    }

    /** How many interactions a session keeps. */
    public Uni<Long> countInteractions(String sessionId) {
        return interactions.countDocuments(Filters.eq("sessionId", sessionId)).plug(within());
    }

    /**
     * Forgets what this instance keeps of a session's newest interactions: for interactions removed by other means than
     * this store (its own removals are of deleted sessions, whose reads fail).
     */
    void forgetRecent(String sessionId) {
        recent.forget(sessionId);
    }

    /** Deletes every interaction of a session; returns how many. */
    public Uni<Long> deleteInteractions(String sessionId) {
        recent.forget(sessionId);
        return interactions
                .deleteMany(Filters.eq("sessionId", sessionId))
                .plug(within())
                .map(result -> result.getDeletedCount());
    }

    /**
     * Stores interactions moved from a session document at the given sequence numbers, replacing what is stored
     * under the same keys (so doing it twice stores them once).
     */
    Uni<Void> putInteractions(String sessionId, List<Long> seqs, List<StoredInteraction> moved) {
        List<Uni<Void>> puts = new ArrayList<>();
        for (int i = 0; i < moved.size(); i++) {
            long seq = seqs.get(i);
            String key = InteractionDocument.key(sessionId, seq);
            puts.add(interactions
                    .replaceOne(
                            Filters.eq("_id", key),
                            new InteractionDocument(key, sessionId, seq, moved.get(i)),
                            new ReplaceOptions().upsert(true))
                    .plug(within())
                    .replaceWithVoid());
        }
        return puts.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(puts).andFailFast().replaceWithVoid();
    }

    private <T> Function<Uni<T>, Uni<T>> within() {
        return StoreCalls.within(config.timeout());
    }
}
