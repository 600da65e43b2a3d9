package io.llmanalytics.upload;

import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.dictionary.Dictionaries;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.session.SessionDatasetsAdded;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.sources.DatasetOrigin;
import io.llmanalytics.sources.SourceImporter;
import io.llmanalytics.sources.SourceRequest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Datasets imported from database sources, through the same path as uploads: the rows are read on a worker thread
 * into a canonical file in a fresh work directory ({@link SourceImporter}), stored in GridFS, and recorded with their
 * origin (source, table or query, import time). A session can be created from a source, get more datasets from
 * one, and have such a dataset refreshed (re-imported: new file, profile, join keys; insights recomputed and the
 * worker reloaded through {@link SessionDatasetsAdded}; the history stays). A failure at any step leaves nothing
 * behind.
 */
@ApplicationScoped
public class SourceSessions {

    private final SessionService sessions;
    private final SessionDatasets datasets;
    private final SourceImporter importer;
    private final GridFsFiles files;
    private final SessionStore store;
    private final SessionIntake intakes;
    private final Event<SessionDatasetsAdded> datasetsAdded;
    private final Executor blocking = Infrastructure.getDefaultWorkerPool();

    /** The format recorded in the ingest metrics for imports from a database. */
    private static final String SQL = "sql";

    public SourceSessions(
            SessionService sessions,
            SessionDatasets datasets,
            SourceImporter importer,
            GridFsFiles files,
            SessionStore store,
            SessionIntake intakes,
            Event<SessionDatasetsAdded> datasetsAdded) {
        this.sessions = sessions;
        this.datasets = datasets;
        this.importer = importer;
        this.files = files;
        this.store = store;
        this.intakes = intakes;
        this.datasetsAdded = datasetsAdded;
    }

    /**
     * Creates a session whose first dataset is imported from a source; the import stops with a 429 when its file
     * passes {@code maxBytes} (what is left of the caller's stored-bytes quota).
     */
    public Uni<SessionDocument> create(SourceRequest request, String owner, long maxBytes) {
        String id = UUID.randomUUID().toString();
        return intakes.intake(
                null,
                intake -> {
                    List<String> stored = new ArrayList<>();
                    Uni<SessionDocument> built = importing(request, intake.workDir(), maxBytes)
                            .chain(imported -> intakes.storeCanonical(id, imported.table(), true, stored)
                                    .map(d -> {
                                        ParsedUpload parsed = new ParsedUpload(null, List.of(imported.table()));
                                        SessionDocument doc = SessionIntake.document(
                                                id,
                                                "source:" + imported.origin().source(),
                                                owner,
                                                parsed,
                                                null,
                                                List.of(d.withOrigin(imported.origin())));
                                        doc.fileSize = SessionDatasets.canonicalBytes(parsed.tables());
                                        return doc;
                                    }));
                    return intakes.createSession(built, stored);
                },
                doc -> doc.format);
    }

    /** Adds a dataset imported from a source to an existing session, within {@code maxBytes} (see {@link #create}). */
    public Uni<SessionDatasets.Added> add(String id, SourceRequest request, long maxBytes) {
        DatasetOrigin[] origin = new DatasetOrigin[1];
        return sessions.find(id)
                .chain(session -> intakes.intake(
                        null,
                        intake -> datasets.add(
                                session,
                                workDir -> {
                                    SourceImporter.Imported imported =
                                            importer.importTo(request, canonical(workDir), maxBytes);
                                    origin[0] = imported.origin();
                                    return new ParsedUpload(null, List.of(imported.table()));
                                },
                                null,
                                intake,
                                d -> d.withOrigin(origin[0])),
                        added -> SQL));
    }

    /**
     * Re-imports dataset {@code name} of session {@code id} from its source (same table or query, same name, same
     * place in the session). Returns the session as it is now and the refreshed dataset.
     */
    public Uni<SessionDatasets.Added> refresh(String id, String name, long maxBytes) {
        return sessions.find(id).chain(session -> {
            DatasetDocument old = session.datasets.stream()
                    .filter(d -> d.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new ProblemException(
                            ProblemType.NOT_FOUND, "Session " + id + " has no dataset named '" + clip(name) + "'."));
            if (old.origin() == null) {
                throw new ProblemException(
                        ProblemType.CONFLICT,
                        "Dataset '" + clip(name) + "' was uploaded as a file,"
                                + " not imported from a source; upload the file again to replace it.");
            }
            DatasetOrigin from = old.origin();
            SourceRequest request = new SourceRequest(from.source(), from.table(), from.query(), name);
            // the old file's bytes are freed when the new one replaces it
            long budget = maxBytes == Long.MAX_VALUE ? maxBytes : maxBytes + sizeOf(old);
            return intakes.intake(
                    null, intake -> reimport(session, old, request, intake.workDir(), budget), added -> SQL);
        });
    }

    private Uni<SessionDatasets.Added> reimport(
            SessionDocument session, DatasetDocument old, SourceRequest request, Path workDir, long maxBytes) {
        List<String> stored = new ArrayList<>();
        return importing(request, workDir, maxBytes)
                .chain(imported -> {
                    ParsedTable table = imported.table();
                    DatasetSchema schema = table.schema();
                    ParsedTable renamed = new ParsedTable(
                            new DatasetSchema(old.name(), schema.rows(), schema.columns(), schema.sample()),
                            table.canonical(),
                            table.naValues());
                    return intakes.storeCanonical(session.id, renamed, old.isDefault(), stored)
                            .map(d -> Dictionaries.refreshed(d.withOrigin(imported.origin()), old))
                            .chain(fresh -> {
                                List<DatasetDocument> others = session.datasets.stream()
                                        .filter(d -> !d.name().equals(old.name()))
                                        .toList();
                                SessionDocument without = SessionDatasets.copy(session);
                                without.datasets = new ArrayList<>(others);
                                without.sharedColumns = session.sharedColumns == null
                                        ? List.of()
                                        : session.sharedColumns.stream()
                                                .filter(c -> !involves(c, old.name()))
                                                .toList();
                                return datasets.sharedColumns(without, List.of(fresh), List.of(renamed), null)
                                        .chain(shared -> save(
                                                session,
                                                old,
                                                fresh,
                                                shared,
                                                SessionDatasets.canonicalBytes(List.of(table))));
                            });
                })
                .invoke(added -> datasetsAdded.fire(new SessionDatasetsAdded(added.session(), added.datasets())))
                .call(added -> files.delete(old.fileId()).onFailure().recoverWithNull())
                .onFailure()
                .call(e -> sessions.deleteFiles(stored));
    }

    private static boolean involves(SharedColumn c, String name) {
        return c.leftDataset().equals(name) || c.rightDataset().equals(name);
    }

    private Uni<SessionDatasets.Added> save(
            SessionDocument session,
            DatasetDocument old,
            DatasetDocument fresh,
            List<SharedColumn> shared,
            long bytes) {
        List<DatasetDocument> all = new ArrayList<>();
        for (DatasetDocument d : session.datasets) {
            all.add(d.name().equals(old.name()) ? fresh : d);
        }
        long delta = bytes - sizeOf(old);
        return store.replaceDatasets(session.id, old.fileId(), all, shared, delta)
                .map(matched -> {
                    if (!matched) {
                        throw new ProblemException(
                                ProblemType.CONFLICT,
                                "The session was deleted, or dataset '" + old.name()
                                        + "' was refreshed meanwhile; try again.");
                    }
                    SessionDocument now = SessionDatasets.copy(session);
                    now.datasets = all;
                    now.sharedColumns = shared;
                    now.fileSize = session.fileSize + delta;
                    return new SessionDatasets.Added(now, List.of(fresh));
                });
    }

    /** The bytes a dataset imported from a source counted in its session's size (its canonical file's). */
    private static long sizeOf(DatasetDocument d) {
        return d.origin() == null ? 0 : d.origin().bytes();
    }

    /** Imports what {@code request} names into the work directory, on a worker thread. */
    private Uni<SourceImporter.Imported> importing(SourceRequest request, Path workDir, long maxBytes) {
        return Uni.createFrom()
                .item(() -> importer.importTo(request, canonical(workDir), maxBytes))
                .runSubscriptionOn(blocking);
    }

    private static Path canonical(Path workDir) {
        return workDir.resolve("dataset-0.csv");
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
