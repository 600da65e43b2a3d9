package io.llmanalytics.verified;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
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
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;

/**
 * The one owner of the {@value #VERIFIED}, {@value #FEEDBACK} and {@value #EVALUATIONS} collections: one document per
 * verified answer and per rated answer (keyed by session and interaction), and one per evaluation.
 */
@ApplicationScoped
public class VerifiedStore {

    public static final String VERIFIED = "verified_answers";
    public static final String FEEDBACK = "feedback";
    public static final String EVALUATIONS = "evaluations";

    private static final String SESSION = "session_id";
    private static final String INTERACTION = "interaction_id";
    private static final String CREATED = "created_at";

    private final ReactiveMongoCollection<Document> verified;
    private final ReactiveMongoCollection<Document> feedback;
    private final ReactiveMongoCollection<Document> evaluations;
    private final StoreConfig config;

    public VerifiedStore(ReactiveMongoClient client, StoreConfig config) {
        this.verified = client.getDatabase(config.database()).getCollection(VERIFIED);
        this.feedback = client.getDatabase(config.database()).getCollection(FEEDBACK);
        this.evaluations = client.getDatabase(config.database()).getCollection(EVALUATIONS);
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        for (ReactiveMongoCollection<Document> c : List.of(verified, feedback)) {
            c.createIndex(Indexes.ascending(SESSION, INTERACTION), new IndexOptions().unique(true))
                    .plug(within())
                    .subscribe()
                    .with(name -> {}, e -> Log.warnf("Index of %s not created: %s", c.getNamespace(), e.getMessage()));
        }
        evaluations
                .createIndex(Indexes.ascending(SESSION, CREATED))
                .plug(within())
                .subscribe()
                .with(name -> {}, e -> Log.warnf("Index of the evaluations not created: %s", e.getMessage()));
    }

    /** Stores (or replaces) a verified answer. */
    public Uni<Void> put(VerifiedAnswer answer) {
        List<Document> datasets = new ArrayList<>();
        for (VerifiedAnswer.DatasetVersion d : answer.datasets()) {
            datasets.add(new Document("name", d.name()).append("content_hash", d.contentHash()));
        }
        Document doc = new Document("_id", key(answer.sessionId(), answer.interactionId()))
                .append(SESSION, answer.sessionId())
                .append(INTERACTION, answer.interactionId())
                .append("question", answer.question())
                .append("normalised_question", answer.normalisedQuestion())
                .append("code", answer.code())
                .append("datasets", datasets)
                .append("fingerprint", answer.fingerprint())
                .append("values", answer.values())
                .append("verified_at", Date.from(answer.verifiedAt()));
        return verified.replaceOne(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true))
                .plug(within())
                .replaceWithVoid();
    }

    /** Removes a verified answer; false when there was none. */
    public Uni<Boolean> remove(String sessionId, String interactionId) {
        return verified.deleteOne(Filters.eq("_id", key(sessionId, interactionId)))
                .plug(within())
                .map(r -> r.getDeletedCount() > 0);
    }

    /** The verified answers of a session, oldest first. */
    public Uni<List<VerifiedAnswer>> list(String sessionId) {
        return verified.find(Filters.eq(SESSION, sessionId), new FindOptions().sort(Sorts.ascending("verified_at")))
                .map(VerifiedStore::answer)
                .collect()
                .asList()
                .plug(within());
    }

    /** Stores the newest feedback on an answer (replacing an earlier one). */
    public Uni<Void> putFeedback(String sessionId, Feedback f) {
        Document doc = new Document("_id", key(sessionId, f.interactionId()))
                .append(SESSION, sessionId)
                .append(INTERACTION, f.interactionId())
                .append("rating", f.rating())
                .append("comment", f.comment())
                .append("at", Date.from(f.at()));
        return feedback.replaceOne(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true))
                .plug(within())
                .replaceWithVoid();
    }

    /** The feedback given on a session's answers. */
    public Uni<List<Feedback>> feedback(String sessionId) {
        return feedback.find(Filters.eq(SESSION, sessionId))
                .map(d -> new Feedback(
                        d.getString(INTERACTION),
                        d.getString("rating"),
                        d.getString("comment"),
                        d.getDate("at").toInstant()))
                .collect()
                .asList()
                .plug(within());
    }

    /** Stores an evaluation (its JSON {@code body}) and drops the session's oldest beyond {@code keep}. */
    public Uni<Void> putEvaluation(String sessionId, String id, Date created, String body, int keep) {
        return evaluations
                .insertOne(new Document("_id", id)
                        .append(SESSION, sessionId)
                        .append(CREATED, created)
                        .append("body", body))
                .plug(within())
                .chain(() -> evaluations
                        .find(
                                Filters.eq(SESSION, sessionId),
                                new FindOptions()
                                        .sort(Sorts.descending(CREATED))
                                        .skip(keep))
                        .map(d -> d.get("_id"))
                        .collect()
                        .asList()
                        .plug(within()))
                .chain(old -> old.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : evaluations
                                .deleteMany(Filters.in("_id", old))
                                .plug(within())
                                .replaceWithVoid());
    }

    /** The JSON bodies of a session's newest {@code limit} evaluations, newest first. */
    public Uni<List<String>> evaluations(String sessionId, int limit) {
        return evaluations
                .find(
                        Filters.eq(SESSION, sessionId),
                        new FindOptions().sort(Sorts.descending(CREATED)).limit(limit))
                .map(d -> d.getString("body"))
                .collect()
                .asList()
                .plug(within());
    }

    /** Deletes everything kept of a session (its verified answers, feedback and evaluations). */
    public Uni<Void> deleteSession(String sessionId) {
        return Uni.join()
                .all(
                        verified.deleteMany(Filters.eq(SESSION, sessionId)).plug(within()),
                        feedback.deleteMany(Filters.eq(SESSION, sessionId)).plug(within()),
                        evaluations.deleteMany(Filters.eq(SESSION, sessionId)).plug(within()))
                .andCollectFailures()
                .replaceWithVoid();
    }

    private static String key(String sessionId, String interactionId) {
        return sessionId + "/" + interactionId;
    }

    private static VerifiedAnswer answer(Document d) {
        List<VerifiedAnswer.DatasetVersion> datasets = new ArrayList<>();
        for (Document v : d.getList("datasets", Document.class, List.of())) {
            datasets.add(new VerifiedAnswer.DatasetVersion(v.getString("name"), v.getString("content_hash")));
        }
        return new VerifiedAnswer(
                d.getString(SESSION),
                d.getString(INTERACTION),
                d.getString("question"),
                d.getString("normalised_question"),
                d.getString("code"),
                datasets,
                d.getString("fingerprint"),
                d.getString("values"),
                d.getDate("verified_at").toInstant());
    }

    private <T> Function<Uni<T>, Uni<T>> within() {
        return StoreCalls.within(config.timeout());
    }
}
