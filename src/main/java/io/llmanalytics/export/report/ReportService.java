package io.llmanalytics.export.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.session.ChartStore;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.session.StoredInteraction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Reports of a session, as one self-contained HTML file or a PDF: read from the store (the session's datasets, every
 * kept interaction that has finished, and the charts stored with each), never run again, so a report is quick and
 * shows what the person saw. Interactions still running are not stored yet, so a report made meanwhile holds the
 * finished ones. Writing happens on a worker thread.
 */
@ApplicationScoped
public class ReportService {

    /** A written report: its bytes and the file name it is downloaded as. */
    public record Rendered(byte[] bytes, String fileName) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Charts of how many interactions are read from the store at a time. */
    private static final int CHART_READS = 8;

    private final SessionService sessions;
    private final SessionStore store;
    private final ChartStore charts;
    private final ReportConfig config;
    private final PlotlyScript plotly;
    private final ReportFonts fonts;
    private final Executor blocking = Infrastructure.getDefaultWorkerPool();

    public ReportService(
            SessionService sessions,
            SessionStore store,
            ChartStore charts,
            ReportConfig config,
            PlotlyScript plotly,
            ReportFonts fonts) {
        this.sessions = sessions;
        this.store = store;
        this.charts = charts;
        this.config = config;
        this.plotly = plotly;
        this.fonts = fonts;
    }

    /** The HTML report of the session {@code sessionId} (404 for an unknown one). */
    public Uni<Rendered> html(String sessionId) {
        return sessions.find(sessionId).chain(this::html);
    }

    /** The PDF report of the session {@code sessionId} (404 for an unknown one). */
    public Uni<Rendered> pdf(String sessionId) {
        return sessions.find(sessionId).chain(this::pdf);
    }

    /** The HTML report of a session already found (a share link's). */
    public Uni<Rendered> html(SessionDocument session) {
        return report(session)
                .emitOn(blocking)
                .map(report -> new Rendered(new HtmlReport(report, config, plotly).write(), fileName(session, "html")));
    }

    /** The PDF report of a session already found (a share link's). */
    public Uni<Rendered> pdf(SessionDocument session) {
        return report(session)
                .emitOn(blocking)
                .map(report -> new Rendered(new PdfReport(report, config, fonts).write(), fileName(session, "pdf")));
    }

    /** What the reports show of a session. */
    public Uni<Report> report(SessionDocument session) {
        return store.allInteractions(session.id).chain(all -> {
            List<StoredInteraction> finished = all.stream()
                    .filter(i -> i.conversationId() != null && i.question() != null)
                    .toList();
            return Multi.createFrom()
                    .iterable(finished)
                    .onItem()
                    .transformToUni(i -> chartsOf(session.id, i).map(c -> Map.entry(i, c)))
                    .merge(CHART_READS)
                    .collect()
                    .asMap(e -> e.getKey().conversationId(), Map.Entry::getValue)
                    .map(byId -> {
                        List<Report.Entry> entries = new ArrayList<>();
                        for (StoredInteraction i : finished) {
                            entries.add(entry(entries.size() + 1, i, byId.getOrDefault(i.conversationId(), List.of())));
                        }
                        return new Report(title(session), createdAt(session), session.datasets, entries);
                    });
        });
    }

    private Uni<List<Report.ChartImage>> chartsOf(String sessionId, StoredInteraction interaction) {
        if (interaction.charts().isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return charts.list(sessionId, interaction.conversationId())
                .map(found -> found.stream()
                        .map(c -> new Report.ChartImage(c.mime(), c.image(), c.width(), c.height(), c.specJson()))
                        .toList())
                .onFailure()
                .recoverWithItem(e -> {
                    Log.debugf("Charts of interaction %s not read: %s", interaction.conversationId(), e.getMessage());
                    return List.of();
                });
    }

    private static Report.Entry entry(int number, StoredInteraction i, List<Report.ChartImage> drawn) {
        boolean failed = !i.answered();
        String answer = i.interpretation();
        if (failed) {
            answer = problemText(i);
        }
        return new Report.Entry(
                number, i.question(), i.reading(), answer, failed, i.generatedCode(), json(i.rawResult()), drawn);
    }

    private static String problemText(StoredInteraction i) {
        JsonNode problem = json(i.problem());
        if (problem != null && problem.path("detail").isTextual()) {
            return "No answer: " + problem.path("detail").asText();
        }
        return "No answer: " + (i.error() == null ? "the analysis did not finish." : i.error());
    }

    private static JsonNode json(Object bson) {
        if (bson == null) {
            return null;
        }
        try {
            return JSON.valueToTree(bson);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String title(SessionDocument session) {
        return session.fileName == null || session.fileName.isBlank() ? "Session " + session.id : session.fileName;
    }

    private static Instant createdAt(SessionDocument session) {
        return session.createdAt == null ? Instant.EPOCH : session.createdAt;
    }

    /** {@code <session-name>-report.<ext>}: the file name without its extension, in safe characters. */
    static String fileName(SessionDocument session, String extension) {
        String name = session.fileName == null ? "" : session.fileName.strip();
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        name = name.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
        if (name.isEmpty()) {
            name = "session-" + session.id.replaceAll("[^A-Za-z0-9-]", "");
        }
        if (name.length() > 80) {
            name = name.substring(0, 80);
        }
        return name + "-report." + extension;
    }
}
