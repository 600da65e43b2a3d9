package io.llmanalytics.api;

import io.llmanalytics.analysis.AnalysisEvent;
import io.llmanalytics.analysis.AnalysisService;
import io.llmanalytics.analysis.PreparedAnalysis;
import io.llmanalytics.observability.RequestIds;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.session.SessionDocument;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the resources that stream analyses ({@code /analyze}, {@code /batch}) share. */
final class AnalysisStreams {

    private AnalysisStreams() {}

    /** Prepares an analysis, with the session {@link ExistingSessionFilter} read for this request when it did. */
    static Uni<PreparedAnalysis> prepare(
            AnalysisService analyses,
            String sessionId,
            RoutingContext routing,
            AnalysisService.CheckedQuestion checked,
            Boolean privacy) {
        SessionDocument found = routing.get(ExistingSessionFilter.SESSION);
        Map<String, Long> before = before(routing);
        return (found != null
                        ? analyses.prepare(found, checked, privacy)
                        : analyses.prepare(sessionId, checked, privacy))
                .map(prepared -> prepared.before(before));
    }

    /**
     * The request's time before its resource method, for the opt-in breakdown: {@code outside.request} from the
     * filters' first sight of it (HTTP, access gate, body, session read), {@code outside.session} the session read.
     */
    private static Map<String, Long> before(RoutingContext routing) {
        Map<String, Long> before = new LinkedHashMap<>();
        long received = RequestIds.receivedNanos(routing);
        if (received != 0L) {
            before.put("outside.request", System.nanoTime() - received);
        }
        Long read = routing.get(ExistingSessionFilter.SESSION_READ_NANOS);
        if (read != null) {
            before.put("outside.session", read);
        }
        return before;
    }

    /**
     * Events come from several threads (the model's HTTP client, the worker pool, heartbeat timers); RESTEasy's SSE
     * writer must see them one at a time, in order, on the request's own event loop.
     */
    static <T> Multi<T> onRequestContext(Multi<T> events) {
        Context context = Vertx.currentContext();
        return context == null ? events : events.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    /** The data of an event as a client reads it: the answer document for {@code done}, else the event itself. */
    static Object data(AnalysisEvent event) {
        if (event instanceof AnalysisEvent.Done done) {
            return done.answer();
        }
        return event instanceof AnalysisEvent.Finished finished ? finished.answer() : event;
    }

    /** The problem an {@code error} event carries, with its interaction id when it has one. */
    static Problem problem(AnalysisEvent.Error error) {
        Map<String, Object> extensions = new LinkedHashMap<>(error.extensions());
        if (error.conversationId() != null) {
            extensions.put("conversation_id", error.conversationId());
        }
        return new Problem(error.type(), error.title(), error.status(), error.detail(), null, extensions);
    }
}
