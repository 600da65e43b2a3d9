package io.llmanalytics.api;

import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDocument;
import java.time.Instant;
import java.util.List;

/** A line of the session list. */
public record SessionSummary(
        String sessionId,
        Instant createdAt,
        String fileName,
        String format,
        long rows,
        int columns,
        List<String> datasets,
        int interactions) {

    public static SessionSummary of(SessionDocument doc, int keptInteractions) {
        DatasetDocument main = doc.defaultDataset();
        return new SessionSummary(
                doc.id,
                doc.createdAt,
                doc.fileName,
                doc.format,
                main.schema().rows(),
                main.schema().columns().size(),
                doc.datasets.stream().map(DatasetDocument::name).toList(),
                doc.keptInteractions(keptInteractions));
    }
}
