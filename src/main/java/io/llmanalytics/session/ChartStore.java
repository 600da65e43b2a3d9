package io.llmanalytics.session;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import io.llmanalytics.store.StoreCalls;
import io.llmanalytics.store.StoreConfig;
import io.quarkus.logging.Log;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * The charts of answered questions, one document per chart in their own collection ({@code charts}), never in the
 * session document: the image (PNG bytes, at most {@code MAX_CHART_BYTES}) and the data behind it (its Plotly-like
 * {@code plot}, as JSON text), keyed by session, interaction (conversation id) and position. Deleting a session
 * deletes its charts ({@link SessionDeleted}).
 */
@ApplicationScoped
public class ChartStore {

    /** The collection holding the charts. */
    public static final String COLLECTION = "charts";

    /**
     * One chart as stored: {@code n} counts from 0 in the order the code drew them; {@code specJson} is its
     * interactive form, a Plotly figure ({@code {data, layout}}) as JSON text, or null when there is none.
     */
    public record StoredChart(
            int n, String mime, int width, int height, byte[] image, String plotJson, String specJson) {}

    private final ReactiveMongoCollection<Document> charts;
    private final StoreConfig config;

    public ChartStore(ReactiveMongoClient client, StoreConfig config) {
        this.charts = client.getDatabase(config.database()).getCollection(COLLECTION);
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        charts.createIndex(Indexes.ascending("session_id", "interaction_id", "n"))
                .plug(StoreCalls.within(config.timeout()))
                .subscribe()
                .with(name -> {}, e -> Log.warnf("Index of the charts not created: %s", e.getMessage()));
    }

    /** Stores the charts of one interaction; images come as base64 (as the worker sends them). */
    public Uni<Void> save(String sessionId, String interactionId, List<StoredChart> drawn) {
        if (drawn.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Date now = Date.from(Instant.now());
        List<Document> docs = new ArrayList<>();
        for (StoredChart c : drawn) {
            docs.add(new Document("_id", id(sessionId, interactionId, c.n()))
                    .append("session_id", sessionId)
                    .append("interaction_id", interactionId)
                    .append("n", c.n())
                    .append("mime", c.mime())
                    .append("width", c.width())
                    .append("height", c.height())
                    .append("image", new Binary(c.image()))
                    .append("plot", c.plotJson())
                    .append("spec", c.specJson())
                    .append("created_at", now));
        }
        return charts.insertMany(docs).plug(StoreCalls.within(config.timeout())).replaceWithVoid();
    }

    /** One chart of an interaction, or empty when there is none at {@code n}. */
    public Uni<Optional<StoredChart>> find(String sessionId, String interactionId, int n) {
        return charts.find(Filters.eq("_id", id(sessionId, interactionId, n)))
                .collect()
                .first()
                .plug(StoreCalls.within(config.timeout()))
                .map(doc -> Optional.ofNullable(doc).map(ChartStore::chart));
    }

    /** Every chart of an interaction, in drawing order. */
    public Uni<List<StoredChart>> list(String sessionId, String interactionId) {
        return charts.find(
                        Filters.and(Filters.eq("session_id", sessionId), Filters.eq("interaction_id", interactionId)))
                .collect()
                .asList()
                .plug(StoreCalls.within(config.timeout()))
                .map(docs -> docs.stream()
                        .map(ChartStore::chart)
                        .sorted(Comparator.comparingInt(StoredChart::n))
                        .toList());
    }

    /** Deletes every chart of a session; returns how many. */
    public Uni<Long> deleteSession(String sessionId) {
        return charts.deleteMany(Filters.eq("session_id", sessionId))
                .plug(StoreCalls.within(config.timeout()))
                .map(result -> result.getDeletedCount());
    }

    /** Deletes the charts of one interaction (its history entry could not be stored). */
    public Uni<Void> deleteInteraction(String sessionId, String interactionId) {
        return charts.deleteMany(
                        Filters.and(Filters.eq("session_id", sessionId), Filters.eq("interaction_id", interactionId)))
                .plug(StoreCalls.within(config.timeout()))
                .replaceWithVoid();
    }

    /** How many charts a session has stored. */
    public Uni<Long> count(String sessionId) {
        return charts.countDocuments(Filters.eq("session_id", sessionId)).plug(StoreCalls.within(config.timeout()));
    }

    void sessionDeleted(@Observes SessionDeleted event) {
        deleteSession(event.sessionId())
                .subscribe()
                .with(
                        removed -> Log.debugf("Deleted %d charts of session %s", removed, event.sessionId()),
                        e -> Log.warnf(
                                "Charts of deleted session %s not removed: %s", event.sessionId(), e.getMessage()));
    }

    /** The path that serves a chart's image. */
    public static String href(String sessionId, String interactionId, int n) {
        return "/api/session/" + sessionId + "/interactions/" + interactionId + "/charts/" + n;
    }

    /** Base64 image bytes as the worker sends them, decoded; empty when they are not base64. */
    public static Optional<byte[]> decode(String base64) {
        try {
            return Optional.of(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static String id(String sessionId, String interactionId, int n) {
        return sessionId + "/" + interactionId + "/" + n;
    }

    private static StoredChart chart(Document doc) {
        Binary image = doc.get("image", Binary.class);
        return new StoredChart(
                doc.getInteger("n", 0),
                doc.getString("mime"),
                doc.getInteger("width", 0),
                doc.getInteger("height", 0),
                image == null ? new byte[0] : image.getData(),
                doc.getString("plot"),
                doc.getString("spec"));
    }
}
