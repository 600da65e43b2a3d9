package io.llmanalytics.upload;

import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.session.SessionDatasetsAdded;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.bson.Document;

/**
 * More datasets in a session: a file added to an existing session (found through {@link SessionService#find}) is
 * parsed and profiled as at creation, its datasets named with keys unique in the session ({@link DatasetNames}),
 * stored in GridFS, and their candidate join keys with the other datasets measured on the data ({@link SharedColumns});
 * the session document gets them in one atomic update, and {@link SessionDatasetsAdded} tells the worker. A failure at
 * any step leaves nothing behind.
 */
@ApplicationScoped
public class SessionDatasets {

    private final SessionService sessions;
    private final TableParser parser;
    private final GridFsFiles files;
    private final SessionStore store;
    private final SessionIntake intakes;
    private final Event<SessionDatasetsAdded> datasetsAdded;
    private final Executor blocking = Infrastructure.getDefaultWorkerPool();

    public SessionDatasets(
            SessionService sessions,
            TableParser parser,
            GridFsFiles files,
            SessionStore store,
            SessionIntake intakes,
            Event<SessionDatasetsAdded> datasetsAdded) {
        this.sessions = sessions;
        this.parser = parser;
        this.files = files;
        this.store = store;
        this.intakes = intakes;
        this.datasetsAdded = datasetsAdded;
    }

    /** Datasets a session may hold at most. */
    public static final int MAX_DATASETS = 20;
    /**
     * Adds the datasets of an uploaded file (one per sheet for workbooks) to an existing session: parsed and profiled
     * as at creation, named after the file or sheet (a key unique in the session), stored in GridFS, and with their
     * candidate join keys with the session's other datasets measured on the data. The declared media type
     * ({@code declaredType}, null when none) must agree with the file. Returns the session as it is now.
     */
    public Uni<Added> addDatasets(String id, Path upload, String fileName, String declaredType) {
        return sessions.find(id)
                .chain(session -> intakes.intake(
                        upload, intake -> add(session, upload, fileName, declaredType, intake), added -> null));
    }

    /** The session after datasets were added, and the new datasets. */
    public record Added(SessionDocument session, List<DatasetDocument> datasets) {}

    private Uni<Added> add(
            SessionDocument session, Path upload, String fileName, String declaredType, SessionIntake.Intake intake) {
        return add(session, workDir -> parser.parse(upload, fileName, declaredType, workDir), upload, intake, d -> d);
    }

    /**
     * Adds the datasets {@code read} produces in the work directory (a database import: no upload, every table has
     * its canonical file, which counts in the session's size), each passed through {@code decorate}.
     */
    Uni<Added> add(
            SessionDocument session,
            Function<Path, ParsedUpload> read,
            Path upload,
            SessionIntake.Intake intake,
            UnaryOperator<DatasetDocument> decorate) {
        List<String> stored = new ArrayList<>();
        return Uni.createFrom()
                .item(() -> named(session, read.apply(intake.workDir())))
                .runSubscriptionOn(blocking)
                .chain(tables -> storeAdded(session.id, tables, upload, stored)
                        .chain(docs -> intakes.drafted(docs, tables, upload))
                        .map(docs -> docs.stream().map(decorate).toList())
                        .chain(added -> sharedColumns(session, added, tables, upload)
                                .chain(shared -> save(
                                        session,
                                        added,
                                        shared,
                                        upload != null ? intake.bytes() : canonicalBytes(tables)))))
                .invoke(added -> datasetsAdded.fire(new SessionDatasetsAdded(added.session(), added.datasets())))
                .onFailure()
                .call(e -> sessions.deleteFiles(stored))
                .onFailure(CompositeException.class)
                .transform(SessionIntake::firstProblem);
    }

    static long canonicalBytes(List<ParsedTable> tables) {
        long total = 0;
        for (ParsedTable t : tables) {
            try {
                total += Files.size(t.canonical());
            } catch (IOException e) {
                // counted as 0: the file was stored already, its size is in GridFS
            }
        }
        return total;
    }

    /** The parsed tables renamed with keys unique in the session. */
    private static List<ParsedTable> named(SessionDocument session, ParsedUpload parsed) {
        if (session.datasets.size() + parsed.tables().size() > MAX_DATASETS) {
            throw new ProblemException(
                    ProblemType.UNPROCESSABLE,
                    "A session holds at most " + MAX_DATASETS
                            + " datasets; this one has " + session.datasets.size() + " and the file adds "
                            + parsed.tables().size() + ".");
        }
        List<String> taken = new ArrayList<>(
                session.datasets.stream().map(DatasetDocument::name).toList());
        List<ParsedTable> tables = new ArrayList<>();
        for (ParsedTable table : parsed.tables()) {
            String name = DatasetNames.unique(table.schema().name(), taken);
            taken.add(name);
            var schema = table.schema();
            tables.add(new ParsedTable(
                    new DatasetSchema(name, schema.rows(), schema.columns(), schema.sample()),
                    table.canonical(),
                    table.naValues()));
        }
        return tables;
    }

    private Uni<List<DatasetDocument>> storeAdded(
            String id, List<ParsedTable> tables, Path upload, List<String> stored) {
        List<Uni<DatasetDocument>> unis = new ArrayList<>();
        for (ParsedTable table : tables) {
            String name = table.schema().name();
            Path canonical = table.canonical() == null ? upload : table.canonical();
            Document meta =
                    new Document("session", id).append("kind", "canonical").append("dataset", name);
            unis.add(files.store(canonical, name + ".csv", meta)
                    .invoke(f -> stored.add(f.id()))
                    .map(f -> new DatasetDocument(name, false, f.id(), f.sha256(), table.naValues(), table.schema())));
        }
        return Uni.join().all(unis).andCollectFailures();
    }

    Uni<List<SharedColumn>> sharedColumns(
            SessionDocument session, List<DatasetDocument> added, List<ParsedTable> tables, Path upload) {
        List<SharedColumns.Candidate> candidates = SharedColumns.candidates(session.datasets, added);
        Set<String> needed = new HashSet<>();
        candidates.forEach(c -> {
            needed.add(c.left().name());
            needed.add(c.right().name());
        });
        Map<String, Path> local = new HashMap<>();
        for (int i = 0; i < added.size(); i++) {
            local.put(
                    added.get(i).name(),
                    tables.get(i).canonical() == null ? upload : tables.get(i).canonical());
        }
        List<DatasetDocument> fetch =
                session.datasets.stream().filter(d -> needed.contains(d.name())).toList();
        Uni<List<Path>> fetched = fetch.isEmpty()
                ? Uni.createFrom().item(List.of())
                : Uni.join()
                        .all(fetch.stream()
                                .map(d -> files.materialise(d.source()))
                                .toList())
                        .andFailFast();
        return fetched.chain(paths -> Uni.createFrom()
                .item(() -> {
                    try {
                        Map<String, Path> all = new HashMap<>(local);
                        for (int i = 0; i < fetch.size(); i++) {
                            all.put(fetch.get(i).name(), paths.get(i));
                        }
                        return SharedColumns.merge(
                                session.sharedColumns,
                                new SharedColumns(SessionIntake.MAX_DISTINCT_FOR_OVERLAP).measure(candidates, all));
                    } catch (IOException e) {
                        Log.infof(
                                "Join keys of session %s not measured: %s",
                                session.id, e.getClass().getSimpleName());
                        return session.sharedColumns == null ? List.<SharedColumn>of() : session.sharedColumns;
                    } finally {
                        paths.forEach(p -> p.toFile().delete());
                    }
                })
                .runSubscriptionOn(blocking));
    }

    /** Adds the datasets to the session; their upload counts in the session's size (and its owner's stored bytes). */
    private Uni<Added> save(
            SessionDocument session, List<DatasetDocument> added, List<SharedColumn> shared, long bytes) {
        List<String> names = added.stream().map(DatasetDocument::name).toList();
        return store.addDatasets(session.id, added, shared, bytes).map(matched -> {
            if (!matched) {
                throw new ProblemException(
                        ProblemType.CONFLICT,
                        "The session was deleted, or a dataset named " + names
                                + " was added to it meanwhile; send the file again.");
            }
            SessionDocument now = copy(session);
            now.datasets = new ArrayList<>(session.datasets);
            now.datasets.addAll(added);
            now.sharedColumns = shared;
            now.fileSize = session.fileSize + bytes;
            return new Added(now, added);
        });
    }

    static SessionDocument copy(SessionDocument session) {
        SessionDocument doc = new SessionDocument();
        doc.id = session.id;
        doc.createdAt = session.createdAt;
        doc.fileName = session.fileName;
        doc.fileSize = session.fileSize;
        doc.format = session.format;
        doc.originalFileId = session.originalFileId;
        doc.owner = session.owner;
        doc.interactionCount = session.interactionCount;
        doc.interactionsMoved = session.interactionsMoved;
        doc.verifiedAnswers = session.verifiedAnswers;
        doc.verifications = session.verifications;
        return doc;
    }
}
