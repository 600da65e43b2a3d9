package io.llmanalytics.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.llmanalytics.llm.FallbackInterpretation;
import io.llmanalytics.llm.Interaction;
import io.llmanalytics.llm.ResultSummary;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.ChartStore;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionRepository;
import io.llmanalytics.store.StoreCalls;
import io.llmanalytics.store.StoreConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * A session's conversation: every interaction is appended atomically ({@code $push} with {@code $slice}, keeping the
 * last {@code MAX_CONVERSATION_HISTORY}), so concurrent questions lose nothing; the last few give follow-ups their
 * context.
 */
@ApplicationScoped
public class History {

    /** The detail of the 404 that ends an analysis whose session was deleted while it ran. */
    public static final String SESSION_DELETED = "The session was deleted during the analysis.";

    private final SessionRepository sessions;
    private final AnalysisConfig config;
    private final StoreConfig store;
    private final ObjectMapper json;
    private final ChartStore charts;

    public History(
            SessionRepository sessions,
            AnalysisConfig config,
            StoreConfig store,
            ObjectMapper json,
            ChartStore charts) {
        this.sessions = sessions;
        this.config = config;
        this.store = store;
        this.json = json;
        this.charts = charts;
    }

    /**
     * Stores an answer's charts (image and data) in their own collection, before its history entry refers to them;
     * true when they were stored. A chart that cannot be stored never costs the answer: it is logged and its entry
     * has no {@code href}.
     */
    Uni<Boolean> storeCharts(String sessionId, String interactionId, List<AnalysisEvent.Chart> drawn) {
        if (drawn.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        List<ChartStore.StoredChart> stored = new ArrayList<>();
        for (int n = 0; n < drawn.size(); n++) {
            AnalysisEvent.Chart c = drawn.get(n);
            byte[] image = ChartStore.decode(c.data()).orElse(new byte[0]);
            stored.add(new ChartStore.StoredChart(
                    n,
                    c.mime(),
                    c.width(),
                    c.height(),
                    image,
                    c.plot() == null || c.plot().isNull() ? null : c.plot().toString()));
        }
        return charts.save(sessionId, interactionId, stored)
                .replaceWith(true)
                .onFailure()
                .recoverWithItem(e -> {
                    Log.warnf("Charts of interaction %s not stored: %s", interactionId, e.getMessage());
                    return false;
                });
    }

    /** Removes the charts of an interaction whose history entry could not be stored. */
    Uni<Void> forgetCharts(String sessionId, String interactionId) {
        return charts.deleteInteraction(sessionId, interactionId)
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** The extension members of a failure's problem (a declined question's unrecognized words and suggestions). */
    static Document problem(io.llmanalytics.problem.Problem problem) {
        Document doc = new Document("type", problem.type())
                .append("title", problem.title())
                .append("status", problem.status());
        problem.extensions().forEach((key, value) -> {
            if (value instanceof List<?> list && list.stream().allMatch(v -> v instanceof String)) {
                doc.append(key, list);
            } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                doc.append(key, value);
            }
        });
        return doc;
    }

    /**
     * Appends one interaction; fails with {@code STORE_UNAVAILABLE} or {@code NOT_FOUND} (session deleted meanwhile).
     * Never upserts: a deleted session is not re-created by a late answer.
     */
    public Uni<Void> append(String sessionId, Document entry) {
        return sessions.mongoCollection()
                .updateOne(
                        Filters.eq("_id", sessionId),
                        Updates.pushEach("history", List.of(entry), new PushOptions().slice(-config.maxHistory())),
                        new UpdateOptions().upsert(false))
                .plug(StoreCalls.within(store.timeout()))
                .map(result -> {
                    if (result.getMatchedCount() == 0) {
                        throw new ProblemException(ProblemType.NOT_FOUND, SESSION_DELETED);
                    }
                    return null;
                });
    }

    /** The previous interactions, oldest first, as context for the next question. */
    public static List<Interaction> context(SessionDocument session) {
        List<Interaction> context = new ArrayList<>();
        if (session.history == null) {
            return context;
        }
        for (Document entry : session.history) {
            String code = entry.getString("generated_code");
            if (entry.getString("error") == null && code != null) {
                context.add(new Interaction(entry.getString("question"), code, entry.getString("result_summary")));
            }
        }
        return context;
    }

    /**
     * The history entry of one interaction.
     *
     * @param whole the worker's facts of the whole result (its {@code result_summary} is written from them); null
     * @param chartsOf the session whose {@link ChartStore} holds the charts (each then has its {@code href}), or
     *        null when they could not be stored
     */
    Document entry(Answer answer, ResultSummary whole, String chartsOf, Instant started, boolean privacy) {
        Document usage = new Document("analyst", answer.usage().analyst())
                .append("model", answer.usage().model())
                .append("input_tokens", answer.usage().inputTokens())
                .append("output_tokens", answer.usage().outputTokens())
                .append("total_tokens", answer.usage().totalTokens());
        List<Document> attempts = new ArrayList<>();
        for (Answer.Attempt a : answer.attempts()) {
            Document attempt = new Document("attempt", a.attempt()).append("code", a.code());
            if (a.validation() != null) {
                attempt.append(
                        "validation",
                        new Document("ok", a.validation().ok())
                                .append(
                                        "violations",
                                        a.validation().violations().stream()
                                                .map(v -> new Document("rule", v.rule())
                                                        .append("message", v.message())
                                                        .append("line", v.line())
                                                        .append("column", v.column()))
                                                .toList()));
            }
            if (a.execution() != null) {
                attempt.append(
                        "execution",
                        new Document("success", a.execution().success())
                                .append("error", a.execution().error())
                                .append("execution_time", a.execution().executionTime()));
            }
            attempts.add(attempt);
        }
        Document entry = new Document("id", answer.conversationId())
                .append("started_at", started)
                .append("finished_at", Instant.now())
                .append("question", answer.question())
                .append("generated_code", answer.generatedCode())
                .append("attempts", attempts)
                .append(
                        "result_summary",
                        answer.rawResult() == null ? null : FallbackInterpretation.describe(answer.rawResult(), whole))
                .append("reading", answer.reading())
                .append("raw_result", bounded(answer.rawResult()))
                .append("interpretation", answer.interpretation())
                .append("error", answer.error())
                .append("execution_time", answer.executionTime())
                .append("charts", charts(answer, chartsOf))
                .append("privacy", privacy)
                .append("usage", usage);
        if (answer.grounding() != null) {
            entry.append(
                    "grounding",
                    new Document("ok", answer.grounding().ok())
                            .append("ungrounded", answer.grounding().ungrounded()));
        }
        return entry;
    }

    /** {@code [{mime, width, height, plot, href}]}; {@code plot} only when it is small enough for the history. */
    private List<Document> charts(Answer answer, String chartsOf) {
        List<Document> out = new ArrayList<>();
        for (int n = 0; n < answer.charts().size(); n++) {
            AnalysisEvent.Chart c = answer.charts().get(n);
            String plot =
                    c.plot() == null || c.plot().isNull() ? null : c.plot().toString();
            out.add(new Document("mime", c.mime())
                    .append("width", c.width())
                    .append("height", c.height())
                    .append(
                            "plot",
                            plot != null && plot.length() <= config.maxStoredResultChars()
                                    ? JsonBson.toBson(c.plot())
                                    : null)
                    .append("href", chartsOf == null ? null : ChartStore.href(chartsOf, answer.conversationId(), n)));
        }
        return out;
    }

    private Object bounded(JsonNode result) {
        if (result == null) {
            return null;
        }
        try {
            if (json.writeValueAsString(result).length() > config.maxStoredResultChars()) {
                return new Document("type", "omitted")
                        .append(
                                "reason",
                                "larger than " + config.maxStoredResultChars() + " characters; see result_summary");
            }
        } catch (JsonProcessingException e) {
            return null;
        }
        return JsonBson.toBson(result);
    }
}
