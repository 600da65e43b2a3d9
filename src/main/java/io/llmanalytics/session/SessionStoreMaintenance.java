package io.llmanalytics.session;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/**
 * Keeps the store tidy: the index the session list needs, and no stored file without its session. Files are written
 * before their session document, so a crash in between leaves files no session points to; they are removed once they
 * are older than any upload in progress could be.
 */
@ApplicationScoped
public class SessionStoreMaintenance {

    /** Files younger than this may belong to an upload still in progress. */
    static final Duration ORPHAN_AGE = Duration.ofMinutes(30);

    private final SessionRepository sessions;
    private final GridFsFiles files;
    private final ReactiveMongoCollection<Document> fileInfo;
    private final ReactiveMongoCollection<Document> sessionDocuments;
    private final StoreConfig config;

    public SessionStoreMaintenance(
            SessionRepository sessions, GridFsFiles files, ReactiveMongoClient client, StoreConfig config) {
        this.sessions = sessions;
        this.files = files;
        this.fileInfo = client.getDatabase(config.database()).getCollection(GridFsFiles.BUCKET + ".files");
        this.sessionDocuments = client.getDatabase(config.database()).getCollection("sessions");
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        sessions.mongoCollection()
                .createIndex(Indexes.descending("createdAt"))
                .plug(StoreCalls.within(config.timeout()))
                .chain(() -> sweepOrphans(Instant.now().minus(ORPHAN_AGE)))
                .subscribe()
                .with(
                        removed -> {
                            if (removed > 0) {
                                Log.infof("Removed %d stored files that no session refers to", removed);
                            }
                        },
                        e -> Log.warnf("Store maintenance at start-up failed: %s", e.getMessage()));
    }

    /** Deletes stored files uploaded before {@code before} that no session refers to; returns how many. */
    public Uni<Integer> sweepOrphans(Instant before) {
        Uni<Set<String>> referenced = sessionDocuments
                .find(
                        Filters.empty(),
                        new FindOptions().projection(Projections.include("originalFileId", "datasets.fileId")))
                .collect()
                .asList()
                .map(docs -> {
                    Set<String> ids = new HashSet<>();
                    for (Document doc : docs) {
                        ids.add(doc.getString("originalFileId"));
                        for (Document dataset : doc.getList("datasets", Document.class, List.of())) {
                            ids.add(dataset.getString("fileId"));
                        }
                    }
                    return ids;
                });
        Uni<List<Document>> candidates = fileInfo.find(
                        Filters.lt("uploadDate", Date.from(before)),
                        new FindOptions().projection(Projections.include("_id")))
                .collect()
                .asList();
        return Uni.combine()
                .all()
                .unis(referenced, candidates)
                .asTuple()
                .plug(StoreCalls.within(config.timeout()))
                .chain(t -> {
                    List<String> orphans = t.getItem2().stream()
                            .map(d -> d.getObjectId("_id").toHexString())
                            .filter(id -> !t.getItem1().contains(id))
                            .toList();
                    if (orphans.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join()
                            .all(orphans.stream().map(files::delete).toList())
                            .andCollectFailures()
                            .replaceWith(orphans.size());
                });
    }
}
