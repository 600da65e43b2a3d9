package io.llmanalytics.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analyst.FallbackInterpretation;
import io.llmanalytics.analyst.Interaction;
import io.llmanalytics.analyst.ResultSummary;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.session.ChartStore;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.session.StoredInteraction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * A session's conversation: every interaction is appended to the {@link SessionStore} as a {@link StoredInteraction}
 * (concurrent questions lose nothing); the newest few give follow-ups their context.
 */
@ApplicationScoped
public class History {

    /** The detail of the 404 that ends an analysis whose session was deleted while it ran. */
    public static final String SESSION_DELETED = SessionStore.SESSION_DELETED;

    private final SessionStore store;
    private final AnalysisConfig config;
    private final ObjectMapper json;
    private final ChartStore charts;

    public History(SessionStore store, AnalysisConfig config, ObjectMapper json, ChartStore charts) {
        this.store = store;
        this.config = config;
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
                    c.plot() == null || c.plot().isNull() ? null : c.plot().toString(),
                    c.spec() == null || c.spec().isNull() ? null : c.spec().toString()));
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

    /** The problem that ended a failed interaction: type, title, status and its plain extension members. */
    static Map<String, Object> problem(Problem problem) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("type", problem.type());
        doc.put("title", problem.title());
        doc.put("status", problem.status());
        problem.extensions().forEach((key, value) -> {
            if (value instanceof List<?> list && list.stream().allMatch(v -> v instanceof String)) {
                doc.put(key, list);
            } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                doc.put(key, value);
            }
        });
        return doc;
    }

    /**
     * Appends one interaction; fails with {@code STORE_UNAVAILABLE} or {@code NOT_FOUND} (session deleted meanwhile).
     * Never upserts: a deleted session is not re-created by a late answer.
     */
    public Uni<Void> append(String sessionId, StoredInteraction interaction) {
        return store.appendInteraction(sessionId, interaction);
    }

    /**
     * Appends one interaction as {@link #append(String, StoredInteraction)}, numbered by {@code reserved} when its
     * number was not taken yet, timing its store round trips.
     */
    Uni<Void> append(
            String sessionId,
            StoredInteraction interaction,
            SessionStore.Reservation reserved,
            ObjLongConsumer<String> steps) {
        return store.appendInteraction(sessionId, interaction, reserved, steps);
    }

    /** Reserves the number of the session's next interaction now, for an analysis that appends it when it ends. */
    SessionStore.Reservation reserve(String sessionId) {
        return store.reserve(sessionId);
    }

    /** The previous answered interactions, oldest first, as context for the next question. */
    public static List<Interaction> context(List<StoredInteraction> recent) {
        List<Interaction> context = new ArrayList<>();
        for (StoredInteraction entry : recent) {
            if (entry.error() == null && entry.generatedCode() != null) {
                context.add(new Interaction(entry.question(), entry.generatedCode(), entry.resultSummary()));
            }
        }
        return context;
    }

    /**
     * The stored record of one interaction.
     *
     * @param whole the worker's facts of the whole result (its {@code result_summary} is written from them); null
     * @param chartsOf the session whose {@link ChartStore} holds the charts (each then has its {@code href}), or
     *        null when they could not be stored
     */
    StoredInteraction entry(Answer answer, ResultSummary whole, String chartsOf, Instant started, boolean privacy) {
        StoredInteraction.Usage usage = new StoredInteraction.Usage(
                answer.usage().analyst(),
                answer.usage().model(),
                answer.usage().inputTokens(),
                answer.usage().outputTokens(),
                answer.usage().totalTokens());
        List<StoredInteraction.Attempt> attempts = new ArrayList<>();
        for (Answer.Attempt a : answer.attempts()) {
            StoredInteraction.Validation validation = a.validation() == null
                    ? null
                    : new StoredInteraction.Validation(
                            a.validation().ok(),
                            a.validation().violations().stream()
                                    .map(v -> new StoredInteraction.Violation(
                                            v.rule(), v.message(), v.line(), v.column()))
                                    .toList());
            StoredInteraction.Execution execution = a.execution() == null
                    ? null
                    : new StoredInteraction.Execution(
                            a.execution().success(),
                            a.execution().error(),
                            a.execution().executionTime());
            attempts.add(new StoredInteraction.Attempt(a.attempt(), a.code(), validation, execution));
        }
        return new StoredInteraction(
                answer.conversationId(),
                started,
                Instant.now(),
                answer.question(),
                answer.generatedCode(),
                attempts,
                answer.rawResult() == null ? null : FallbackInterpretation.describe(answer.rawResult(), whole),
                answer.reading(),
                bounded(answer.rawResult()),
                answer.interpretation(),
                answer.error(),
                answer.executionTime(),
                charts(answer, chartsOf),
                privacy,
                usage,
                answer.grounding() == null
                        ? null
                        : new StoredInteraction.Grounding(
                                answer.grounding().ok(), answer.grounding().ungrounded()),
                null,
                null,
                answer.clarification() == null
                        ? null
                        : new StoredInteraction.Clarification(
                                answer.clarification().question(),
                                answer.clarification().options()));
    }

    /**
     * A multi-step analysis as stored with its interaction: mode, plan, steps (code, result or {@code omitted} when
     * too large, error) and report, as JSON-like trees.
     */
    Object analysis(ModeAnswer answer) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mode", answer.mode());
        doc.put("plan", answer.plan());
        List<Object> steps = new ArrayList<>();
        for (ModeAnswer.Step s : answer.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", s.step());
            step.put("goal", s.goal());
            step.put("status", s.status());
            step.put("code", s.code());
            step.put("result", bounded(s.result()));
            step.put("error", s.error());
            step.put("attempts", s.attempts());
            steps.add(step);
        }
        doc.put("steps", steps);
        ModeAnswer.Report r = answer.report();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("text", r.text());
        report.put("findings", r.findings());
        report.put("next_questions", r.nextQuestions());
        report.put("ended_by", r.endedBy());
        report.put("ungrounded", r.grounding().ungrounded());
        doc.put("report", report);
        return doc;
    }

    /** {@code [{mime, width, height, plot, href}]}; {@code plot} only when it is small enough for the history. */
    private List<StoredInteraction.ChartRef> charts(Answer answer, String chartsOf) {
        List<StoredInteraction.ChartRef> out = new ArrayList<>();
        for (int n = 0; n < answer.charts().size(); n++) {
            AnalysisEvent.Chart c = answer.charts().get(n);
            String plot =
                    c.plot() == null || c.plot().isNull() ? null : c.plot().toString();
            out.add(new StoredInteraction.ChartRef(
                    c.mime(),
                    c.width(),
                    c.height(),
                    plot != null && plot.length() <= config.maxStoredResultChars() ? JsonBson.toBson(c.plot()) : null,
                    chartsOf == null ? null : ChartStore.href(chartsOf, answer.conversationId(), n)));
        }
        return out;
    }

    private Object bounded(JsonNode result) {
        if (result == null) {
            return null;
        }
        try {
            if (json.writeValueAsString(result).length() > config.maxStoredResultChars()) {
                Map<String, Object> omitted = new LinkedHashMap<>();
                omitted.put("type", "omitted");
                omitted.put(
                        "reason", "larger than " + config.maxStoredResultChars() + " characters; see result_summary");
                return omitted;
            }
        } catch (JsonProcessingException e) {
            return null;
        }
        return JsonBson.toBson(result);
    }
}
