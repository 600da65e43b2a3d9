package io.llmanalytics.session;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
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
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Moves the histories kept in session documents (a {@code history} array, before interactions had their own
 * collection) into the {@code interactions} collection, at start-up.
 *
 * <p>Idempotent and safe with several replicas starting at once: each interaction is stored under a key made of its
 * session and its position ({@code seq} from {@code 1 - n} for the oldest to {@code 0} for the newest, below every
 * appended one), replacing what is stored under that key; only then is the session's {@code history} removed. A
 * second run, here or on another replica, stores the same documents under the same keys, or finds nothing to do.
 */
@ApplicationScoped
public class HistoryMigration {

    static final String LEGACY_HISTORY = "history";

    private final ReactiveMongoCollection<Document> sessions;
    private final SessionStore store;
    private final StoreConfig config;

    public HistoryMigration(ReactiveMongoClient client, SessionStore store, StoreConfig config) {
        this.sessions = client.getDatabase(config.database()).getCollection("sessions");
        this.store = store;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        run().subscribe()
                .with(
                        moved -> {
                            if (moved > 0) {
                                Log.infof("Moved the histories of %d sessions to their own collection", moved);
                            }
                        },
                        e -> Log.warnf("Histories not moved (tried again at the next start): %s", e.getMessage()));
    }

    /** Moves every history still in a session document; the number of sessions moved. */
    public Uni<Integer> run() {
        return sessions.find(Filters.exists(LEGACY_HISTORY), Document.class)
                .onItem() // one session at a time: a history is at most a few hundred kB
                .transformToUniAndConcatenate(session -> move(session).replaceWith(session.getString("_id")))
                .collect()
                .asList()
                .map(List::size);
    }

    private Uni<Void> move(Document session) {
        String id = session.getString("_id");
        List<?> history = session.getList(LEGACY_HISTORY, Object.class, List.of());
        List<StoredInteraction> moved = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        int n = history.size();
        for (int i = 0; i < n; i++) {
            if (history.get(i) instanceof Document entry) {
                moved.add(interaction(entry));
                seqs.add((long) (i + 1 - n));
            }
        }
        return store.putInteractions(id, seqs, moved)
                .chain(() -> sessions.updateOne(
                                Filters.and(Filters.eq("_id", id), Filters.exists(LEGACY_HISTORY)),
                                Updates.combine(Updates.unset(LEGACY_HISTORY), Updates.set(SessionStore.MOVED, (long)
                                        moved.size())))
                        .plug(StoreCalls.within(config.timeout())))
                .replaceWithVoid();
    }

    /** An entry of a session document's history, in the shape {@code History} wrote it. */
    static StoredInteraction interaction(Document e) {
        List<StoredInteraction.Attempt> attempts = new ArrayList<>();
        for (Document a : e.getList("attempts", Document.class, List.of())) {
            Document v = a.get("validation", Document.class);
            Document x = a.get("execution", Document.class);
            attempts.add(new StoredInteraction.Attempt(
                    integer(a.get("attempt")),
                    a.getString("code"),
                    v == null
                            ? null
                            : new StoredInteraction.Validation(
                                    v.getBoolean("ok"),
                                    v.getList("violations", Document.class, List.of()).stream()
                                            .map(w -> new StoredInteraction.Violation(
                                                    w.getString("rule"),
                                                    w.getString("message"),
                                                    integer(w.get("line")),
                                                    integer(w.get("column"))))
                                            .toList()),
                    x == null
                            ? null
                            : new StoredInteraction.Execution(
                                    x.getBoolean("success"), x.getString("error"), decimal(x.get("execution_time")))));
        }
        List<StoredInteraction.ChartRef> charts = new ArrayList<>();
        for (Document c : e.getList("charts", Document.class, List.of())) {
            charts.add(new StoredInteraction.ChartRef(
                    c.getString("mime"),
                    integer(c.get("width")),
                    integer(c.get("height")),
                    c.get("plot"),
                    c.getString("href")));
        }
        Document u = e.get("usage", Document.class);
        Document g = e.get("grounding", Document.class);
        return new StoredInteraction(
                e.getString("id"),
                instant(e.get("started_at")),
                instant(e.get("finished_at")),
                e.getString("question"),
                e.getString("generated_code"),
                attempts,
                e.getString("result_summary"),
                e.getString("reading"),
                e.get("raw_result"),
                e.getString("interpretation"),
                e.getString("error"),
                decimal(e.get("execution_time")),
                charts,
                e.getBoolean("privacy"),
                u == null
                        ? null
                        : new StoredInteraction.Usage(
                                u.getString("analyst"),
                                u.getString("model"),
                                integer(u.get("input_tokens")),
                                integer(u.get("output_tokens")),
                                integer(u.get("total_tokens"))),
                g == null
                        ? null
                        : new StoredInteraction.Grounding(
                                g.getBoolean("ok"), g.getList("ungrounded", String.class, List.of())),
                e.get("problem"));
    }

    private static Integer integer(Object value) {
        return value instanceof Number n ? n.intValue() : null;
    }

    private static Double decimal(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    private static Instant instant(Object value) {
        return value instanceof Date d ? d.toInstant() : value instanceof Instant i ? i : null;
    }
}
