package io.llmanalytics.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.bson.Document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.llmanalytics.llm.FallbackInterpretation;
import io.llmanalytics.llm.Interaction;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionRepository;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.store.StoreFailures;
import io.smallrye.mutiny.Uni;

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

    public History(SessionRepository sessions, AnalysisConfig config, StoreConfig store, ObjectMapper json) {
        this.sessions = sessions;
        this.config = config;
        this.store = store;
        this.json = json;
    }

    /**
     * Appends one interaction; fails with {@code STORE_UNAVAILABLE} or {@code NOT_FOUND} (session deleted meanwhile).
     * Never upserts: a deleted session is not re-created by a late answer.
     */
    public Uni<Void> append(String sessionId, Document entry) {
        return sessions.mongoCollection()
                .updateOne(Filters.eq("_id", sessionId),
                        Updates.pushEach("history", List.of(entry), new PushOptions().slice(-config.maxHistory())),
                        new UpdateOptions().upsert(false))
                .ifNoItem().after(store.timeout()).fail()
                .onFailure(StoreFailures::isStoreFailure).transform(StoreFailures::unavailable)
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

    /** The history entry of one interaction. */
    Document entry(Answer answer, Instant started, boolean privacy) {
        Document usage = new Document("analyst", answer.usage().analyst()).append("model", answer.usage().model())
                .append("input_tokens", answer.usage().inputTokens())
                .append("output_tokens", answer.usage().outputTokens())
                .append("total_tokens", answer.usage().totalTokens());
        List<Document> attempts = new ArrayList<>();
        for (Answer.Attempt a : answer.attempts()) {
            Document attempt = new Document("attempt", a.attempt()).append("code", a.code());
            if (a.validation() != null) {
                attempt.append("validation", new Document("ok", a.validation().ok()).append("violations",
                        a.validation().violations().stream().map(v -> new Document("rule", v.rule())
                                .append("message", v.message()).append("line", v.line()).append("column", v.column()))
                                .toList()));
            }
            if (a.execution() != null) {
                attempt.append("execution", new Document("success", a.execution().success())
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
                .append("result_summary", answer.rawResult() == null ? null : FallbackInterpretation.describe(answer.rawResult()))
                .append("raw_result", bounded(answer.rawResult()))
                .append("interpretation", answer.interpretation())
                .append("error", answer.error())
                .append("execution_time", answer.executionTime())
                .append("charts", answer.charts().size())
                .append("privacy", privacy)
                .append("usage", usage);
        if (answer.grounding() != null) {
            entry.append("grounding", new Document("ok", answer.grounding().ok()).append("ungrounded", answer.grounding().ungrounded()));
        }
        return entry;
    }

    private Object bounded(JsonNode result) {
        if (result == null) {
            return null;
        }
        try {
            if (json.writeValueAsString(result).length() > config.maxStoredResultChars()) {
                return new Document("type", "omitted").append("reason", "larger than " + config.maxStoredResultChars()
                        + " characters; see result_summary");
            }
        } catch (JsonProcessingException e) {
            return null;
        }
        return JsonBson.toBson(result);
    }
}
