package io.llmanalytics.dashboard;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
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
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;

/** The one owner of the {@value #COLLECTION} collection: one document per pinned answer. */
@ApplicationScoped
public class PinStore {

    /** The collection holding the pins. */
    public static final String COLLECTION = "pins";

    private static final String SESSION = "session_id";
    private static final String POSITION = "position";
    private static final String INTERACTION = "interaction_id";
    private static final int DUPLICATE_KEY = 11000;

    private final ReactiveMongoCollection<Document> pins;
    private final StoreConfig config;

    public PinStore(ReactiveMongoClient client, StoreConfig config) {
        this.pins = client.getDatabase(config.database()).getCollection(COLLECTION);
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        pins.createIndex(Indexes.ascending(SESSION, POSITION))
                .plug(within())
                .subscribe()
                .with(name -> {}, e -> Log.warnf("Index of the pins not created: %s", e.getMessage()));
        pins.createIndex(Indexes.ascending(SESSION, INTERACTION), new IndexOptions().unique(true))
                .plug(within())
                .subscribe()
                .with(name -> {}, e -> Log.warnf("Unique index of the pins not created: %s", e.getMessage()));
    }

    /**
     * Stores a pin; an answer pinned twice at the same moment (the unique index on session and interaction) is a 409,
     * as when it was pinned before.
     */
    public Uni<Void> insert(Pin pin) {
        return pins.insertOne(new Document("_id", pin.id())
                        .append(SESSION, pin.sessionId())
                        .append(INTERACTION, pin.interactionId())
                        .append("question", pin.question())
                        .append("code", pin.code())
                        .append(POSITION, pin.position())
                        .append("created_at", Date.from(pin.createdAt())))
                .onFailure(PinStore::duplicateKey)
                .transform(e -> new ProblemException(ProblemType.CONFLICT, "This answer is pinned already."))
                .plug(within())
                .replaceWithVoid();
    }

    /** The pins of a session in dashboard order. */
    public Uni<List<Pin>> list(String sessionId) {
        return pins.find(
                        Filters.eq(SESSION, sessionId), new FindOptions().sort(Sorts.ascending(POSITION, "created_at")))
                .map(PinStore::pin)
                .collect()
                .asList()
                .plug(within());
    }

    /** Deletes one pin of a session; false when it has no such pin. */
    public Uni<Boolean> delete(String sessionId, String pinId) {
        return pins.deleteOne(Filters.and(Filters.eq("_id", pinId), Filters.eq(SESSION, sessionId)))
                .plug(within())
                .map(r -> r.getDeletedCount() > 0);
    }

    /** Gives the pins of a session the positions of their order in {@code pinIds}. */
    public Uni<Void> reorder(String sessionId, List<String> pinIds) {
        List<Uni<Void>> updates = new ArrayList<>();
        for (int i = 0; i < pinIds.size(); i++) {
            updates.add(pins.updateOne(
                            Filters.and(Filters.eq("_id", pinIds.get(i)), Filters.eq(SESSION, sessionId)),
                            Updates.set(POSITION, i))
                    .plug(within())
                    .replaceWithVoid());
        }
        return updates.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(updates).andFailFast().replaceWithVoid();
    }

    /** Deletes every pin of a session; returns how many. */
    public Uni<Long> deleteSession(String sessionId) {
        return pins.deleteMany(Filters.eq(SESSION, sessionId)).plug(within()).map(r -> r.getDeletedCount());
    }

    private static Pin pin(Document doc) {
        return new Pin(
                doc.getString("_id"),
                doc.getString(SESSION),
                doc.getString(INTERACTION),
                doc.getString("question"),
                doc.getString("code"),
                doc.getInteger(POSITION, 0),
                doc.getDate("created_at").toInstant());
    }

    private static boolean duplicateKey(Throwable e) {
        return e instanceof MongoWriteException w && w.getError().getCode() == DUPLICATE_KEY;
    }

    private <T> Function<Uni<T>, Uni<T>> within() {
        return StoreCalls.within(config.timeout());
    }
}
