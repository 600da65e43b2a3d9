package io.llmanalytics.upload;

import io.llmanalytics.dictionary.DictionaryConfig;
import io.llmanalytics.dictionary.DictionaryDrafts;
import io.llmanalytics.dictionary.IntegerPrescan;
import io.llmanalytics.dictionary.StoredDictionary;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.session.SessionCreated;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.session.StoredFile;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bson.Document;

/**
 * The intake of uploads: a session created from an uploaded file (parsed and profiled on a worker thread while the
 * original is stored, the join keys between a workbook's sheets measured), in a work directory deleted afterwards.
 * An upload that fails at any step leaves nothing behind. Storage is {@link SessionStore}'s and
 * {@link SessionService}'s.
 */
@ApplicationScoped
public class SessionIntake {

    private final TableParser parser;
    private final GridFsFiles files;
    private final SessionService sessions;
    private final SessionStore store;
    private final UploadConfig uploadConfig;
    private final Event<SessionCreated> created;
    private final UploadMetrics metrics;
    private final DictionaryConfig dictionaryConfig;
    private final Executor blocking = Infrastructure.getDefaultWorkerPool();

    public SessionIntake(
            TableParser parser,
            GridFsFiles files,
            SessionService sessions,
            SessionStore store,
            UploadConfig uploadConfig,
            Event<SessionCreated> created,
            UploadMetrics metrics,
            DictionaryConfig dictionaryConfig) {
        this.parser = parser;
        this.files = files;
        this.sessions = sessions;
        this.store = store;
        this.uploadConfig = uploadConfig;
        this.created = created;
        this.metrics = metrics;
        this.dictionaryConfig = dictionaryConfig;
    }

    /**
     * Creates a session from an uploaded file (deleted by the caller afterwards) sent with the media type
     * {@code declaredType} (null when none), which must agree with the file.
     */
    public Uni<SessionDocument> create(Path upload, String fileName, String declaredType, String owner) {
        return create(upload, fileName, declaredType, owner, new IngestTimings());
    }

    /** {@link #create(Path, String, String, String)}, each phase of the ingest timed in {@code timings}. */
    public Uni<SessionDocument> create(
            Path upload, String fileName, String declaredType, String owner, IngestTimings timings) {
        return Uni.createFrom()
                .item(() -> ArrivingFile.whole(upload, size(upload)))
                .runSubscriptionOn(blocking)
                .chain(whole -> create(
                        whole,
                        fileName,
                        declaredType,
                        owner,
                        timings,
                        bytes -> Uni.createFrom().voidItem()));
    }

    /**
     * Creates a session from an upload while it arrives: delimited text is parsed as its bytes come; the original is
     * stored once it is whole and {@code admit} (the storage quota) has accepted its size.
     */
    public Uni<SessionDocument> create(
            ArrivingFile upload,
            String fileName,
            String declaredType,
            String owner,
            IngestTimings timings,
            Function<Long, Uni<Void>> admit) {
        String id = UUID.randomUUID().toString();
        return intake(
                upload.path(),
                intake -> ingest(id, upload, fileName, declaredType, owner, intake.workDir(), timings, admit),
                doc -> doc.format,
                timings);
    }

    /** Where an upload is worked on, and its size when the work began (a file still arriving has less). */
    public record Intake(Path workDir, long bytes) {}

    /**
     * Works on an upload in a fresh work directory, deleted afterwards whatever the outcome, and records the ingest
     * in the upload metrics (with the format {@code format} gives the result, or none). A database import has no
     * upload ({@code upload} null, size 0).
     */
    public <T> Uni<T> intake(Path upload, Function<Intake, Uni<T>> work, Function<T, String> format) {
        return intake(upload, work, format, new IngestTimings());
    }

    /**
     * {@link #intake(Path, Function, Function)}, with the work directory's cleanup and the whole ingest timed in
     * {@code timings} (the work times its own phases) and all phases recorded in {@code upload.phase}.
     */
    public <T> Uni<T> intake(
            Path upload, Function<Intake, Uni<T>> work, Function<T, String> format, IngestTimings timings) {
        long start = System.nanoTime();
        long[] bytes = {0}; // the upload's size once the work is done (a file that was arriving is whole then)
        return Uni.createFrom()
                .item(() -> new Intake(workDir(), size(upload)))
                .runSubscriptionOn(blocking)
                .chain(intake -> work.apply(intake)
                        .eventually(() -> timings.timed(
                                IngestPhase.CLEANUP,
                                Uni.createFrom()
                                        .item(() -> {
                                            bytes[0] = size(upload);
                                            return deleteTree(intake.workDir());
                                        })
                                        .runSubscriptionOn(blocking)))
                        .onTermination()
                        .invoke((result, failure, cancelled) -> {
                            long took = System.nanoTime() - start;
                            timings.record(IngestPhase.INGEST, took);
                            String f = result == null ? null : format.apply(result);
                            String outcome = UploadMetrics.outcome(failure, cancelled);
                            metrics.ingested(bytes[0], Duration.ofNanos(took), f, outcome);
                            metrics.phases(timings, f, outcome);
                        }));
    }

    private static long size(Path upload) {
        if (upload == null) {
            return 0;
        }
        try {
            return Files.size(upload);
        } catch (IOException e) {
            return 0;
        }
    }

    private Uni<SessionDocument> ingest(
            String id,
            ArrivingFile arriving,
            String fileName,
            String declaredType,
            String owner,
            Path workDir,
            IngestTimings timings,
            Function<Long, Uni<Void>> admit) {
        Path upload = arriving.path();
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        StreamedCanonicals streamed = new StreamedCanonicals(files, id);
        Uni<ParsedUpload> parse = timings.timed(
                IngestPhase.PARSE,
                Uni.createFrom()
                        .item(() -> parser.parse(arriving, fileName, declaredType, workDir, streamed))
                        .runSubscriptionOn(blocking));
        Uni<StoredFile> original = arriving.received()
                .chain(bytes -> admit.apply(bytes))
                .chain(() -> timings.timed(
                        IngestPhase.STORE_ORIGINAL,
                        files.store(upload, fileName, new Document("session", id).append("kind", "original"))))
                .invoke(f -> stored.add(f.id()));
        Uni<SessionDocument> built = Uni.combine()
                .all()
                .unis(parse, original)
                .collectFailures()
                .asTuple()
                .chain(both -> datasets(id, both.getItem1(), both.getItem2(), stored, upload, timings, streamed)
                        .map(datasets -> document(id, fileName, owner, both.getItem1(), both.getItem2(), datasets))
                        .chain(doc ->
                                timings.timed(IngestPhase.JOIN_KEYS, sheetJoinKeys(doc, both.getItem1(), upload))))
                // a canonical file stored as it was written goes with the rest
                .onFailure()
                .call(() -> streamed.settle(stored));
        return createSession(built, stored, timings);
    }

    /**
     * Saves the session {@code built} gives and announces it; a failure at any step (parse, storage, save) deletes
     * the files already stored (their ids in {@code stored}) and surfaces the first problem among its causes.
     */
    Uni<SessionDocument> createSession(Uni<SessionDocument> built, List<String> stored) {
        return createSession(built, stored, new IngestTimings());
    }

    /** {@link #createSession(Uni, List)}, the save and the announcement timed in {@code timings}. */
    Uni<SessionDocument> createSession(Uni<SessionDocument> built, List<String> stored, IngestTimings timings) {
        return built.call(doc -> timings.timed(IngestPhase.SESSION, store.createSession(doc)))
                .invoke(doc -> timings.timed(IngestPhase.EVENT, () -> {
                    created.fire(new SessionCreated(doc));
                    return doc;
                }))
                .onFailure()
                .call(e -> sessions.deleteFiles(stored))
                .onFailure(CompositeException.class)
                .transform(SessionIntake::firstProblem);
    }

    /** The candidate join keys between the sheets of a workbook, measured on the files still in the work directory. */
    Uni<SessionDocument> sheetJoinKeys(SessionDocument doc, ParsedUpload parsed, Path upload) {
        if (doc.datasets.size() < 2) {
            return Uni.createFrom().item(doc);
        }
        return Uni.createFrom()
                .item(() -> {
                    Map<String, Path> local = new HashMap<>();
                    for (int i = 0; i < doc.datasets.size(); i++) {
                        Path canonical = parsed.tables().get(i).canonical();
                        local.put(doc.datasets.get(i).name(), canonical == null ? upload : canonical);
                    }
                    try {
                        doc.sharedColumns = SharedColumns.merge(
                                List.of(),
                                new SharedColumns(MAX_DISTINCT_FOR_OVERLAP)
                                        .measure(
                                                SharedColumns.candidates(
                                                        List.of(doc.datasets.get(0)),
                                                        doc.datasets.subList(1, doc.datasets.size())),
                                                local));
                    } catch (IOException | RuntimeException e) {
                        Log.infof(
                                "Join keys between the sheets of session %s not measured: %s",
                                doc.id, e.getClass().getSimpleName());
                    }
                    return doc;
                })
                .runSubscriptionOn(blocking);
    }

    /**
     * The datasets of {@code parsed}: each canonical copy stored in GridFS (its id added to {@code stored}) while its
     * dictionary is drafted ({@link DictionaryDrafts}, on a worker thread, from the integer columns its parse
     * gathered); a table whose canonical copy is the upload itself points to the stored original, and one whose copy
     * was {@code streamed} as its reader wrote it to the file so stored.
     */
    Uni<List<DatasetDocument>> datasets(
            String id,
            ParsedUpload parsed,
            StoredFile original,
            List<String> stored,
            Path upload,
            IngestTimings timings) {
        return datasets(id, parsed, original, stored, upload, timings, new StreamedCanonicals(files, id));
    }

    /** {@link #datasets(String, ParsedUpload, StoredFile, List, Path, IngestTimings)}, some canonical files streamed. */
    Uni<List<DatasetDocument>> datasets(
            String id,
            ParsedUpload parsed,
            StoredFile original,
            List<String> stored,
            Path upload,
            IngestTimings timings,
            StreamedCanonicals streamed) {
        List<Uni<DatasetDocument>> unis = new ArrayList<>();
        for (int i = 0; i < parsed.tables().size(); i++) {
            ParsedTable table = parsed.tables().get(i);
            boolean isDefault = i == 0;
            Uni<DatasetDocument> dataset = table.canonical() == null
                    ? Uni.createFrom()
                            .item(new DatasetDocument(
                                    table.schema().name(),
                                    isDefault,
                                    original.id(),
                                    original.sha256(),
                                    table.naValues(),
                                    table.schema()))
                    : timings.timed(
                            IngestPhase.STORE_CANONICAL,
                            streamed.stored(table.canonical())
                                    .map(early -> described(early, table, isDefault, stored))
                                    .orElseGet(() -> storeCanonical(id, table, isDefault, stored)));
            Uni<StoredDictionary> drafts = timings.timed(
                    IngestPhase.DRAFTS,
                    Uni.createFrom().item(() -> draft(table, upload)).runSubscriptionOn(blocking));
            unis.add(Uni.combine()
                    .all()
                    .unis(dataset, drafts)
                    .collectFailures()
                    .asTuple()
                    .map(both -> both.getItem1().withDictionary(both.getItem2())));
        }
        return Uni.join().all(unis).andCollectFailures();
    }

    /**
     * The datasets with their dictionaries drafted from what the data shows ({@link DictionaryDrafts}), on a worker
     * thread (a pass over a canonical file only for integer columns its parse did not gather); {@code tables} are in
     * the same order.
     */
    Uni<List<DatasetDocument>> drafted(List<DatasetDocument> datasets, List<ParsedTable> tables, Path upload) {
        return Uni.createFrom()
                .item(() -> {
                    List<DatasetDocument> drafted = new ArrayList<>();
                    for (int i = 0; i < datasets.size(); i++) {
                        drafted.add(datasets.get(i).withDictionary(draft(tables.get(i), upload)));
                    }
                    return drafted;
                })
                .runSubscriptionOn(blocking);
    }

    /**
     * The dictionary drafted for {@code table}, read from its canonical copy ({@code upload} when the upload is itself
     * canonical): the integer columns its parse gathered ({@link IntegerPrescan#folded}) taken as they are, the others
     * scanned.
     */
    private StoredDictionary draft(ParsedTable table, Path upload) {
        Path canonical = table.canonical() == null ? upload : table.canonical();
        int maxCodes = dictionaryConfig.draftMaxCodes();
        return DictionaryDrafts.draft(
                table.schema(), canonical, maxCodes, IntegerPrescan.folded(canonical, table.integers(), maxCodes));
    }

    /** Stores {@code table}'s canonical file in GridFS (its id added to {@code stored}) and describes the dataset. */
    Uni<DatasetDocument> storeCanonical(String id, ParsedTable table, boolean isDefault, List<String> stored) {
        String name = table.schema().name();
        Document meta = new Document("session", id).append("kind", "canonical").append("dataset", name);
        return described(files.store(table.canonical(), name + ".csv", meta), table, isDefault, stored);
    }

    /**
     * Adds {@code id} to the stored files' {@code ids} unless it is there: a streamed file may be counted by its dataset
     * and by the clean-up after a failure.
     */
    static void addOnce(List<String> ids, String id) {
        synchronized (ids) {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
    }

    /** The dataset of {@code table} once its canonical file is {@code stored} (its id added to {@code ids}). */
    private static Uni<DatasetDocument> described(
            Uni<StoredFile> stored, ParsedTable table, boolean isDefault, List<String> ids) {
        String name = table.schema().name();
        return stored.invoke(f -> addOnce(ids, f.id()))
                .map(f -> new DatasetDocument(name, isDefault, f.id(), f.sha256(), table.naValues(), table.schema()));
    }

    static SessionDocument document(
            String id,
            String fileName,
            String owner,
            ParsedUpload parsed,
            StoredFile original,
            List<DatasetDocument> datasets) {
        SessionDocument doc = new SessionDocument();
        doc.id = id;
        doc.createdAt = Instant.now();
        doc.fileName = fileName;
        doc.fileSize = original == null ? 0 : original.length();
        doc.format = parsed.format() == null ? "sql" : parsed.format().name().toLowerCase(Locale.ROOT);
        doc.originalFileId = original == null ? null : original.id();
        doc.owner = owner;
        doc.datasets = datasets;
        return doc;
    }

    /** Distinct values collected per column to measure join-key overlap. */
    static final int MAX_DISTINCT_FOR_OVERLAP = 200_000;

    public Path workDir() {
        try {
            // 0700 (createTempDirectory's POSIX default, stated): the upload's files inside are the service's alone
            return Files.createTempDirectory(
                    base(),
                    "ingest-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new file, the service's alone (0600), for an upload's body while it arrives; in the same place as work dirs. */
    public Path uploadFile() throws IOException {
        return Files.createTempFile(
                base(),
                "upload-",
                ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private Path base() throws IOException {
        Path base = uploadConfig.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        return base;
    }

    public static Void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            Log.debugf("Could not clean %s: %s", dir, e.getMessage());
        }
        return null;
    }

    static Throwable firstProblem(Throwable e) {
        CompositeException composite = (CompositeException) e;
        return composite.getCauses().stream()
                .filter(c -> c instanceof ProblemException)
                .findFirst()
                .orElse(composite.getCauses().get(0));
    }
}
