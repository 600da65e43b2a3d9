package io.llmanalytics.session;

import io.llmanalytics.dataset.SharedColumn;
import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * A session as stored in the {@code sessions} collection: metadata, the datasets' schemas and where their files are,
 * and how many interactions it had. Nothing large: data lives in GridFS, interactions in their own collection
 * ({@link SessionStore}).
 */
@MongoEntity(collection = "sessions")
public class SessionDocument {

    @BsonId
    public String id;

    public Instant createdAt;
    public String fileName;
    public long fileSize;
    public String format;
    public String originalFileId;
    public String owner;
    public List<DatasetDocument> datasets = new ArrayList<>();
    /** Interactions appended so far (the sequence number of the last one); kept up to the store's bound. */
    public long interactionCount;
    /** Interactions moved from the former {@code history} array of the document ({@link HistoryMigration}). */
    public long interactionsMoved;
    /**
     * Whether the session may have verified answers: set before one is stored, cleared only when none is left (see
     * {@link SessionStore#markVerified}); null for a session stored before this mark, whose answers are always looked
     * up.
     */
    public Boolean verifiedAnswers;
    /** Verifications begun on the session: a clear of {@link #verifiedAnswers} holds only if none began meanwhile. */
    public long verifications;
    /** Candidate join keys between the datasets, measured when datasets were added. */
    public List<SharedColumn> sharedColumns = new ArrayList<>();

    /** How many interactions the session keeps, at most {@code max}. */
    public int keptInteractions(int max) {
        return (int) Math.min(max, interactionCount + interactionsMoved);
    }

    public DatasetDocument defaultDataset() {
        return datasets.stream().filter(DatasetDocument::isDefault).findFirst().orElse(datasets.get(0));
    }
}
