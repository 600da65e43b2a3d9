package io.llmanalytics.api;

import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDocument;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The answer to an upload: the new session and, at once, the picture of its data. */
public record SessionCreatedResponse(
        String sessionId,
        String message,
        DataInfo dataInfo,
        Map<String, ColumnProfile> profile,
        List<DatasetView> datasets,
        String fileName,
        String format,
        Instant createdAt) {

    public static SessionCreatedResponse of(SessionDocument doc) {
        DatasetDocument main = doc.defaultDataset();
        String sheets =
                doc.datasets.size() > 1 ? " (" + doc.datasets.size() + " datasets; '" + main.name() + "' is df)" : "";
        String message = "Loaded '" + doc.fileName + "': " + main.schema().rows() + " rows x "
                + main.schema().columns().size() + " columns" + sheets + ".";
        return new SessionCreatedResponse(
                doc.id,
                message,
                DataInfo.of(main.schema()),
                DatasetView.profile(main),
                doc.datasets.stream().map(DatasetView::of).toList(),
                doc.fileName,
                doc.format,
                doc.createdAt);
    }
}
