package io.llmanalytics.session;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * A session as stored in the {@code sessions} collection: metadata, the datasets' schemas and where their files are,
 * and the conversation history. Nothing large: data lives in GridFS.
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
    public List<org.bson.Document> history = new ArrayList<>();
    /** Candidate join keys between the datasets, measured when datasets were added. */
    public List<io.llmanalytics.dataset.SharedColumn> sharedColumns = new ArrayList<>();

    public DatasetDocument defaultDataset() {
        return datasets.stream().filter(DatasetDocument::isDefault).findFirst().orElse(datasets.get(0));
    }
}
