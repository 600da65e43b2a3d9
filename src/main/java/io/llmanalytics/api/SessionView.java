package io.llmanalytics.api;

import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDocument;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A session: metadata, schema, profile, conversation history and the candidate join keys between its datasets. */
public record SessionView(
        String sessionId,
        Instant createdAt,
        String fileName,
        long fileSize,
        String format,
        DataInfo dataInfo,
        Map<String, ColumnProfile> profile,
        List<DatasetView> datasets,
        List<Map<String, Object>> history,
        List<io.llmanalytics.dataset.SharedColumn> sharedColumns) {

    public static SessionView of(SessionDocument doc) {
        DatasetDocument main = doc.defaultDataset();
        List<Map<String, Object>> history = doc.history == null
                ? List.of()
                : doc.history.stream().map(h -> (Map<String, Object>) h).toList();
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
                doc.sharedColumns == null ? List.of() : doc.sharedColumns);
    }
}
