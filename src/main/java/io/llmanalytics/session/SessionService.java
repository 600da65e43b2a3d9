package io.llmanalytics.session;

import com.mongodb.client.model.Filters;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.store.StoreCalls;
import io.llmanalytics.store.StoreConfig;
import io.quarkus.logging.Log;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;

/**
 * Stored sessions: read, listed and deleted (with their interactions and files). Sessions are created by the intake
 * ({@code upload.SessionIntake}); interactions are {@link SessionStore}'s.
 */
@ApplicationScoped
public class SessionService {

    private final GridFsFiles files;
    private final SessionRepository repository;
    private final StoreConfig storeConfig;
    private final Event<SessionDeleted> deleted;
    private final SessionStore store;
    private final Codec<SessionDocument> codec;
    /** Reads of a session by id, shared by the requests that make them at the same time (a burst of questions). */
    private final CoalescedReads<String, RawBsonDocument> reads;

    public SessionService(
            GridFsFiles files,
            SessionRepository repository,
            StoreConfig storeConfig,
            Event<SessionDeleted> deleted,
            SessionStore store) {
        this.files = files;
        this.repository = repository;
        this.storeConfig = storeConfig;
        this.deleted = deleted;
        this.store = store;
        this.codec = repository.mongoCollection().getCodecRegistry().get(SessionDocument.class);
        ReactiveMongoCollection<RawBsonDocument> raw =
                repository.mongoCollection().withDocumentClass(RawBsonDocument.class);
        // bounded by the store timeout: a read that never lands would hold every later read of its session
        this.reads = new CoalescedReads<>(
                id -> raw.find(Filters.eq("_id", id)).collect().first().plug(StoreCalls.within(storeConfig.timeout())));
    }

    public Uni<SessionDocument> find(String id) {
        if (!isUuid(id)) {
            return Uni.createFrom().failure(notFound(id));
        }
        return reads.get(id).map(this::decode).onItem().ifNull().failWith(() -> notFound(id));
    }

    /** A session as the store sent it, decoded for one request: requests sharing a read never share the object. */
    private SessionDocument decode(RawBsonDocument stored) {
        return stored == null
                ? null
                : codec.decode(stored.asBsonReader(), DecoderContext.builder().build());
    }

    public Uni<SessionPage> list(int limit, int offset) {
        return list(limit, offset, Optional.empty());
    }

    /** A page of the sessions of {@code owner}, or of all sessions when empty. */
    public Uni<SessionPage> list(int limit, int offset, Optional<String> owner) {
        Sort newest = Sort.descending("createdAt");
        var query = owner.isPresent() ? repository.find("owner", newest, owner.get()) : repository.findAll(newest);
        Uni<List<SessionDocument>> page =
                query.range(offset, offset + limit - 1).list();
        Uni<Long> total = owner.isPresent() ? repository.count("owner", owner.get()) : repository.count();
        return Uni.combine()
                .all()
                .unis(page, total)
                .asTuple()
                .plug(StoreCalls.within(storeConfig.timeout()))
                .map(t -> new SessionPage(t.getItem1(), t.getItem2(), limit, offset));
    }

    /** Deletes the session document, then its interactions and files; a later call finds nothing. */
    public Uni<Void> delete(String id) {
        return find(id).chain(doc -> repository
                .deleteById(id)
                .plug(StoreCalls.within(storeConfig.timeout()))
                .chain(gone -> store.deleteInteractions(id))
                .chain(interactions -> deleteFiles(fileIds(doc)))
                .invoke(() -> deleted.fire(new SessionDeleted(id))));
    }

    static List<String> fileIds(SessionDocument doc) {
        return Stream.concat(
                        Stream.of(doc.originalFileId), doc.datasets.stream().map(DatasetDocument::fileId))
                .filter(Objects::nonNull)
                .distinct()
                .toList();
    }

    /** Deletes stored files; failures are logged, never raised (what is left is found by the maintenance). */
    public Uni<Void> deleteFiles(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(List.copyOf(ids).stream().map(files::delete).toList())
                .andCollectFailures()
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> Log.warnf("Could not delete stored files %s: %s", ids, e.getMessage()))
                .onFailure()
                .recoverWithNull();
    }

    public static boolean isUuid(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(id).toString().equals(id.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(ProblemType.NOT_FOUND, "No session with id '" + abbreviate(id) + "'.");
    }

    private static String abbreviate(String id) {
        return id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "..." : id;
    }
}
