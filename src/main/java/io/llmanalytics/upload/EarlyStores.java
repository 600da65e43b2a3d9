package io.llmanalytics.upload;

import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.session.StoredFile;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;

/**
 * The canonical copies of one upload stored while their tables are still being parsed ({@link EarlyCopies}): each
 * store starts as soon as its copy is written, and its file's id joins {@code stored} (what a failed intake deletes)
 * once stored. The intake waits for them all ({@link #settled()}) before it goes on or cleans up, so that no store
 * outlives the intake, and discards the ones whose tables took another way ({@link #discardOthers}).
 */
final class EarlyStores implements EarlyCopies {

    private final GridFsFiles files;
    private final String session;
    private final List<String> stored;
    private final IngestTimings timings;
    private final Map<Path, Uni<StoredFile>> started = new ConcurrentHashMap<>();

    /** The stores of {@code session}'s copies; each is timed in {@code timings} as the canonical store. */
    EarlyStores(GridFsFiles files, String session, List<String> stored, IngestTimings timings) {
        this.files = files;
        this.session = session;
        this.stored = stored;
        this.timings = timings;
    }

    /** The metadata of a canonical copy of {@code dataset} in {@code session}. */
    static Document metadata(String session, String dataset) {
        return new Document("session", session).append("kind", "canonical").append("dataset", dataset);
    }

    @Override
    public void written(String dataset, Path canonical) {
        Uni<StoredFile> store = timings.timed(
                        IngestPhase.STORE_CANONICAL,
                        files.store(canonical, dataset + ".csv", metadata(session, dataset)))
                .invoke(f -> stored.add(f.id()))
                .memoize()
                .indefinitely();
        started.put(canonical, store);
        // started now; its outcome is read later through the memo (of, settled), a failure included
        store.subscribe().with(f -> {}, e -> {});
    }

    /** The store of the copy at {@code canonical}, when one was started. */
    Optional<Uni<StoredFile>> of(Path canonical) {
        return Optional.ofNullable(canonical == null ? null : started.get(canonical));
    }

    /** Ends once every store started has ended, whatever their outcomes (a failure is reported where it is used). */
    Uni<Void> settled() {
        if (started.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> all = new ArrayList<>();
        for (Uni<StoredFile> store : started.values()) {
            all.add(store.replaceWithVoid().onFailure().recoverWithNull());
        }
        return Uni.join().all(all).andCollectFailures().replaceWithVoid();
    }

    /**
     * Deletes the stored copies that are not among {@code kept} (their tables' parse took another way and wrote
     * another copy); their ids leave {@code stored}. Call once {@link #settled()}.
     */
    Uni<Void> discardOthers(Set<Path> kept) {
        List<Uni<Void>> deletions = new ArrayList<>();
        started.forEach((path, store) -> {
            if (!kept.contains(path)) {
                deletions.add(store.onFailure()
                        .recoverWithNull()
                        .chain(f -> f == null
                                ? Uni.createFrom().voidItem()
                                : files.delete(f.id()).invoke(() -> stored.remove(f.id()))));
            }
        });
        return deletions.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(deletions).andCollectFailures().replaceWithVoid();
    }
}
