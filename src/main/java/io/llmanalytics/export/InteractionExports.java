package io.llmanalytics.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.Chart;
import io.llmanalytics.sandbox.ExecutionResult;
import io.llmanalytics.sandbox.Sandbox;
import io.llmanalytics.session.ChartStore;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.session.StoredInteraction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Exports of a session's answers: the code of one interaction, its table result as CSV or XLSX, and the whole
 * conversation as a Jupyter notebook.
 *
 * <p>Interactions are read from the {@link SessionStore} (every kept one, not only the session view's newest).
 * Results are not read from the history (it keeps at most {@code MAX_SAMPLE_ROWS} rows of a table; charts are
 * read from the {@link ChartStore}, where they are kept with their answer):
 * the stored code is run again in the sandbox on the session's stored datasets, which is exact (the code and the data
 * are the ones that gave the answer; every execution starts from the data as loaded) and keeps large tables out of
 * the session document. Table exports hold at most {@link #MAX_EXPORT_ROWS} rows (and the worker's 2 MB bound on a
 * result). When the code cannot run again (worker busy or down), the notebook falls back to the stored result.
 */
@ApplicationScoped
public class InteractionExports {

    /** Rows of a table result an export holds at most. */
    public static final int MAX_EXPORT_ROWS = 20_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SessionService sessions;
    private final SessionStore store;
    private final Sandbox sandbox;
    private final ChartStore charts;
    private final Executor blocking = Infrastructure.getDefaultWorkerPool();

    public InteractionExports(SessionService sessions, SessionStore store, Sandbox sandbox, ChartStore charts) {
        this.sessions = sessions;
        this.store = store;
        this.sandbox = sandbox;
        this.charts = charts;
    }

    /** The code of an interaction (its successful attempt's, else its last attempt's). */
    public Uni<String> code(String sessionId, String interactionId) {
        return sessions.find(sessionId)
                .chain(session -> entry(session, interactionId))
                .map(entry -> {
                    String code = entry.generatedCode();
                    if (code == null || code.isBlank()) {
                        throw new ProblemException(
                                ProblemType.NOT_FOUND, "Interaction '" + interactionId + "' has no code.");
                    }
                    return code.strip() + "\n";
                });
    }

    /** The table result of an interaction, computed again; 404 when the answer is not a table. */
    public Uni<ResultTable> table(String sessionId, String interactionId) {
        return sessions.find(sessionId)
                .chain(session -> entry(session, interactionId).chain(entry -> table(session, interactionId, entry)));
    }

    private Uni<ResultTable> table(SessionDocument session, String interactionId, StoredInteraction entry) {
        String code = entry.generatedCode();
        if (entry.error() != null || code == null) {
            throw new ProblemException(
                    ProblemType.NOT_FOUND,
                    "Interaction '" + interactionId + "' has no result: it ended with an error.");
        }
        JsonNode stored = json(entry.rawResult());
        String type = stored == null ? "" : stored.path("type").asText("");
        if (!type.equals("dataframe") && !type.equals("series") && !type.equals("omitted")) {
            throw notATable(interactionId);
        }
        return sandbox.executeForExport(session.id, sources(session), code, MAX_EXPORT_ROWS)
                .map(result -> {
                    if (!result.succeeded()) {
                        throw new ProblemException(
                                ProblemType.UNPROCESSABLE,
                                "The code of interaction '" + interactionId + "' did not run again: "
                                        + (result.error() == null
                                                ? result.outcome()
                                                : result.error().type()));
                    }
                    if (result.result() != null
                            && "object".equals(result.result().path("type").asText())) {
                        throw new ProblemException(
                                ProblemType.UNPROCESSABLE,
                                "The table of interaction '" + interactionId
                                        + "' is larger than an export holds (" + MAX_EXPORT_ROWS
                                        + " rows, 2 MB); ask for fewer "
                                        + "rows or columns and export that answer.");
                    }
                    return ResultTable.of(result.result()).orElseThrow(() -> notATable(interactionId));
                });
    }

    /**
     * The session as a notebook (JSON bytes): every kept interaction that was answered, each one's code run again for
     * its outputs.
     */
    public Uni<byte[]> notebook(String sessionId) {
        return sessions.find(sessionId)
                .chain(session -> store.allInteractions(session.id)
                        .chain(all -> notebook(
                                session,
                                all.stream().filter(StoredInteraction::answered).toList())));
    }

    private Uni<byte[]> notebook(SessionDocument session, List<StoredInteraction> answered) {
        return Multi.createFrom()
                .iterable(answered)
                .onItem()
                .transformToUniAndConcatenate(entry -> replay(session, entry))
                .collect()
                .asList()
                .emitOn(blocking)
                .map(steps -> Notebook.write(session.id, session.datasets, steps));
    }

    /**
     * The step of one answer: its code run again for its outputs; its charts are the ones stored with the answer
     * (the replay's only when none were stored), so the notebook shows what the person saw.
     */
    private Uni<Notebook.Step> replay(SessionDocument session, StoredInteraction entry) {
        String code = entry.generatedCode();
        return storedCharts(session.id, entry)
                .chain(images -> sandbox.execute(session.id, sources(session), code)
                        .map(result -> result.succeeded() ? step(entry, result, images) : stored(entry, images))
                        .onFailure()
                        .recoverWithItem(e -> {
                            Log.debugf(
                                    "Interaction %s of session %s not replayed: %s",
                                    entry.conversationId(), session.id, e.getMessage());
                            return stored(entry, images);
                        }));
    }

    /** The PNG images (base64) stored with an answer, in drawing order; none when it drew none or they are gone. */
    private Uni<List<String>> storedCharts(String sessionId, StoredInteraction entry) {
        if (entry.charts().isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return charts.list(sessionId, entry.conversationId())
                .map(found -> found.stream()
                        .filter(c -> "image/png".equals(c.mime()) && c.image().length > 0)
                        .map(c -> Base64.getEncoder().encodeToString(c.image()))
                        .toList())
                .onFailure()
                .recoverWithItem(e -> {
                    Log.debugf("Charts of interaction %s not read: %s", entry.conversationId(), e.getMessage());
                    return List.of();
                });
    }

    private static Notebook.Step step(StoredInteraction entry, ExecutionResult result, List<String> storedImages) {
        List<String> images = storedImages.isEmpty()
                ? result.charts().stream()
                        .filter(c -> "png".equals(c.format()))
                        .map(Chart::data)
                        .toList()
                : storedImages;
        return new Notebook.Step(
                entry.conversationId(),
                entry.question(),
                entry.interpretation(),
                entry.generatedCode(),
                result.stdout(),
                result.result(),
                images,
                true);
    }

    private static Notebook.Step stored(StoredInteraction entry, List<String> images) {
        JsonNode result = json(entry.rawResult());
        if (result != null && "omitted".equals(result.path("type").asText())) {
            result = null;
        }
        return new Notebook.Step(
                entry.conversationId(),
                entry.question(),
                entry.interpretation(),
                entry.generatedCode(),
                "",
                result,
                images,
                false);
    }

    private static List<DatasetSource> sources(SessionDocument session) {
        return session.datasets.stream().map(DatasetDocument::source).toList();
    }

    private Uni<StoredInteraction> entry(SessionDocument session, String interactionId) {
        return store.interaction(session.id, interactionId)
                .map(found -> found.orElseThrow(() -> new ProblemException(
                        ProblemType.NOT_FOUND,
                        "The session has no interaction '"
                                + (interactionId == null
                                        ? ""
                                        : interactionId.length() > 64 ? interactionId.substring(0, 64) : interactionId)
                                + "' (interaction ids are the conversation_id of answers, listed in the session's"
                                + " history).")));
    }

    private static ProblemException notATable(String interactionId) {
        return new ProblemException(
                ProblemType.NOT_FOUND,
                "The result of interaction '" + interactionId
                        + "' is not a table (a DataFrame or a Series): there is no result.csv or result.xlsx for it; see its "
                        + "raw_result in the history.");
    }

    /** A stored BSON value as JSON (numbers, text, lists and documents). */
    static JsonNode json(Object bson) {
        if (bson == null) {
            return null;
        }
        try {
            return JSON.valueToTree(bson);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
