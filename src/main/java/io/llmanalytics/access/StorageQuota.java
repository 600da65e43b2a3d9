package io.llmanalytics.access;

import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.SessionRepository;
import io.llmanalytics.store.StoreCalls;
import io.llmanalytics.store.StoreConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The total size of the files a caller keeps (the uploaded files' sizes, as sessions record them), and the check that
 * a new upload fits under {@code MAX_STORED_BYTES_PER_CALLER}. In open mode every session counts (one user).
 */
@ApplicationScoped
public class StorageQuota {

    /** What a full quota tells the caller to wait: space frees only when sessions are deleted. */
    static final Duration RETRY = Duration.ofSeconds(60);

    private final Access access;
    private final SessionRepository sessions;
    private final StoreConfig store;

    public StorageQuota(Access access, SessionRepository sessions, StoreConfig store) {
        this.access = access;
        this.sessions = sessions;
        this.store = store;
    }

    /** Bytes stored by {@code caller}. */
    public Uni<Long> used(Caller caller) {
        List<Bson> pipeline = List.of(
                new Document("$match", new Document("owner", caller.owner())),
                new Document("$group", new Document("_id", null).append("total", new Document("$sum", "$fileSize"))));
        return sessions.mongoCollection()
                .aggregate(pipeline, Document.class)
                .collect()
                .first()
                .map(d -> d == null ? 0L : ((Number) d.get("total")).longValue())
                .plug(StoreCalls.within(store.timeout()));
    }

    /**
     * The bytes {@code caller} may still store ({@link Long#MAX_VALUE} without a quota), failing with 429 when none
     * are left: the budget a database import, whose size is known only at its end, is stopped at.
     */
    public Uni<Long> remaining(Caller caller) {
        long quota = access.config().limits().storedBytes().asLongValue();
        if (quota <= 0) {
            return Uni.createFrom().item(Long.MAX_VALUE);
        }
        return admit(caller, 1).chain(() -> used(caller)).map(used -> Math.max(0, quota - used));
    }

    /** Fails with 429 when storing {@code bytes} more would take {@code caller} over its quota. */
    public Uni<Void> admit(Caller caller, long bytes) {
        long quota = access.config().limits().storedBytes().asLongValue();
        if (quota <= 0) {
            return Uni.createFrom().voidItem();
        }
        return used(caller)
                .invoke(used -> {
                    if (used + bytes > quota) {
                        throw new ProblemException(
                                Problem.of(
                                                ProblemType.QUOTA_EXCEEDED,
                                                "This caller stores " + used
                                                        + " bytes; with this upload of " + bytes
                                                        + " bytes it would pass its quota of " + quota
                                                        + " bytes (MAX_STORED_BYTES_PER_CALLER). Delete sessions to make room.")
                                        .with("quota_bytes", quota)
                                        .with("used_bytes", used),
                                RETRY,
                                null);
                    }
                })
                .replaceWithVoid();
    }
}
