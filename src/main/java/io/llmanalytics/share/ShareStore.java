package io.llmanalytics.share;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.bson.Document;

/**
 * The one owner of the {@value #COLLECTION} collection: one document per link with the session id, the token's
 * SHA-256 (the token itself is never stored) and the expiry. Every call is bounded by the store timeout.
 */
@ApplicationScoped
public class ShareStore {

    /** The collection holding the links. */
    public static final String COLLECTION = "shares";

    static final String SESSION = "session_id";
    static final String HASH = "token_hash";
    static final String CREATED = "created_at";
    static final String EXPIRES = "expires_at";

    /** How long an expired link stays listed before a sweep deletes it. */
    public static final Duration KEEP_EXPIRED = Duration.ofDays(7);

    private final ReactiveMongoCollection<Document> shares;
    private final StoreConfig config;

    public ShareStore(ReactiveMongoClient client, StoreConfig config) {
        this.shares = client.getDatabase(config.database()).getCollection(COLLECTION);
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        shares.createIndex(Indexes.ascending(HASH), new IndexOptions().unique(true))
                .chain(() -> shares.createIndex(Indexes.ascending(SESSION)))
                .chain(() -> shares.createIndex(Indexes.ascending(EXPIRES)))
                .plug(within())
                .chain(() -> sweep(Instant.now().minus(KEEP_EXPIRED)))
                .subscribe()
                .with(
                        swept -> {},
                        e -> Log.warnf("Indexes of the share links not created or sweep failed: %s", e.getMessage()));
    }

    /**
     * Deletes the links of every session that expired before {@code before}; returns how many. An expired link stays
     * listed (as expired) for {@link #KEEP_EXPIRED}, so its owner sees why it stopped working, then goes.
     */
    public Uni<Long> sweep(Instant before) {
        return shares.deleteMany(Filters.lt(EXPIRES, Date.from(before)))
                .plug(within())
                .map(r -> r.getDeletedCount());
    }

    public Uni<Void> insert(StoredShare share) {
        return shares.insertOne(new Document("_id", share.id())
                        .append(SESSION, share.sessionId())
                        .append(HASH, share.tokenHash())
                        .append(CREATED, Date.from(share.createdAt()))
                        .append(EXPIRES, Date.from(share.expiresAt())))
                .plug(within())
                .replaceWithVoid();
    }

    /** The links of a session, oldest first. */
    public Uni<List<StoredShare>> list(String sessionId) {
        return shares.find(Filters.eq(SESSION, sessionId), new FindOptions().sort(Sorts.ascending(CREATED)))
                .map(ShareStore::share)
                .collect()
                .asList()
                .plug(within());
    }

    /** The link whose token has this hash, if any (expired or not). */
    public Uni<Optional<StoredShare>> byHash(String tokenHash) {
        return shares.find(Filters.eq(HASH, tokenHash))
                .map(ShareStore::share)
                .collect()
                .first()
                .plug(within())
                .map(Optional::ofNullable);
    }

    /** Deletes one link of a session; false when the session has no such link. */
    public Uni<Boolean> delete(String sessionId, String shareId) {
        return shares.deleteOne(Filters.and(Filters.eq("_id", shareId), Filters.eq(SESSION, sessionId)))
                .plug(within())
                .map(result -> result.getDeletedCount() > 0);
    }

    /** Moves a link's expiry (tests use it to make a link expire without waiting). */
    public Uni<Boolean> expire(String shareId, Instant at) {
        return shares.updateOne(Filters.eq("_id", shareId), new Document("$set", new Document(EXPIRES, Date.from(at))))
                .plug(within())
                .map(result -> result.getMatchedCount() > 0);
    }

    /** Deletes every link of a session; returns how many. */
    public Uni<Long> deleteSession(String sessionId) {
        return shares.deleteMany(Filters.eq(SESSION, sessionId)).plug(within()).map(r -> r.getDeletedCount());
    }

    private static StoredShare share(Document doc) {
        return new StoredShare(
                doc.getString("_id"),
                doc.getString(SESSION),
                doc.getString(HASH),
                doc.getDate(CREATED).toInstant(),
                doc.getDate(EXPIRES).toInstant());
    }

    private <T> Function<Uni<T>, Uni<T>> within() {
        return StoreCalls.within(config.timeout());
    }
}
