package io.llmanalytics.api;

import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.StoredInteraction;
import io.llmanalytics.verified.VerifiedService;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A session: metadata, schema, profile, conversation history, the candidate join keys between its datasets, and how
 * its interactions are marked ({@code marks}: by interaction id, {@code verified} and the newest {@code feedback}).
 */
public record SessionView(
        String sessionId,
        Instant createdAt,
        String fileName,
        long fileSize,
        String format,
        DataInfo dataInfo,
        Map<String, ColumnProfile> profile,
        List<DatasetView> datasets,
        List<StoredInteraction> history,
        List<SharedColumn> sharedColumns,
        Map<String, VerifiedService.Mark> marks) {

    /** The session with its newest interactions ({@code MAX_CONVERSATION_HISTORY}), oldest first. */
    public static SessionView of(SessionDocument doc, List<StoredInteraction> history) {
        DatasetDocument main = doc.defaultDataset();
        return new SessionView(
                doc.id,
                doc.createdAt,
                doc.fileName,
                doc.fileSize,
                doc.format,
                DataInfo.of(main.schema()),
                DatasetView.profile(main),
                doc.datasets.stream().map(DatasetView::of).toList(),
                history,
                doc.sharedColumns == null ? List.of() : doc.sharedColumns,
                Map.of());
    }

    /** The same view with its interactions' marks. */
    public SessionView withMarks(Map<String, VerifiedService.Mark> by) {
        return new SessionView(
                sessionId,
                createdAt,
                fileName,
                fileSize,
                format,
                dataInfo,
                profile,
                datasets,
                history,
                sharedColumns,
                by);
    }
}
