package io.llmanalytics.insights;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The insights of a session, as {@code GET /api/session/{id}/insights} returns them.
 *
 * @param sessionId the session
 * @param status {@code ready}, {@code pending} (being computed: ask again) or {@code failed}
 * @param insights most important first (empty unless ready)
 * @param detail why they failed (only when failed)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionInsights(String sessionId, String status, List<Insight> insights, String detail) {

    public static final String READY = "ready";
    public static final String PENDING = "pending";
    public static final String FAILED = "failed";

    public SessionInsights {
        insights = insights == null ? List.of() : List.copyOf(insights);
    }

    static SessionInsights pending(String sessionId) {
        return new SessionInsights(sessionId, PENDING, List.of(), null);
    }

    static SessionInsights failed(String sessionId, String detail) {
        return new SessionInsights(sessionId, FAILED, List.of(), detail);
    }
}
