package io.llmanalytics.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.StoredInteraction;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A session as a share link shows it, read-only: its datasets with their profiles and every kept interaction (question,
 * reading, answer, result, code) with its charts served under the link. No owner, no ids of stored files.
 */
@RegisterForReflection
public record SharedSessionView(
        String sessionId,
        Instant createdAt,
        String fileName,
        List<DatasetView> datasets,
        List<SharedColumn> sharedColumns,
        List<Entry> interactions,
        String scope,
        Instant expiresAt) {

    /** One interaction, as shared. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            String id,
            Instant startedAt,
            String question,
            String reading,
            String answer,
            Object result,
            String resultSummary,
            String code,
            List<Chart> charts,
            String error) {}

    /** A chart of a shared interaction; {@code href} serves its image under the same link. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Chart(String mime, Integer width, Integer height, Object plot, String href) {}

    static SharedSessionView of(SessionDocument doc, List<StoredInteraction> all, String token, Instant expiresAt) {
        List<Entry> entries = new ArrayList<>();
        for (StoredInteraction i : all) {
            List<Chart> charts = new ArrayList<>();
            for (int n = 0; n < i.charts().size(); n++) {
                StoredInteraction.ChartRef c = i.charts().get(n);
                charts.add(new Chart(
                        c.mime(),
                        c.width(),
                        c.height(),
                        c.plot(),
                        c.href() == null || i.conversationId() == null
                                ? null
                                : chartHref(token, i.conversationId(), n)));
            }
            entries.add(new Entry(
                    i.conversationId(),
                    i.startedAt(),
                    i.question(),
                    i.reading(),
                    i.interpretation(),
                    i.rawResult(),
                    i.resultSummary(),
                    i.generatedCode(),
                    charts,
                    i.error()));
        }
        return new SharedSessionView(
                doc.id,
                doc.createdAt,
                doc.fileName,
                doc.datasets.stream().map(DatasetView::of).toList(),
                doc.sharedColumns == null ? List.of() : doc.sharedColumns,
                entries,
                "read",
                expiresAt);
    }

    /** Where a shared interaction's chart image is served. */
    static String chartHref(String token, String interactionId, int n) {
        return "/api/shared/" + token + "/interactions/" + interactionId + "/charts/" + n;
    }
}
