package io.llmanalytics.api;

import io.llmanalytics.insights.InsightsService;
import io.llmanalytics.insights.SessionInsights;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /api/session/{id}/insights} → {@code {session_id, status: ready|pending|failed, insights: [...],
 * detail?}}; 404 problem for an unknown session. {@code pending}: ask again in a moment. With
 * {@code Accept: text/event-stream}, the same documents as the events' data: the current state, then the final
 * one (ready or failed), after which the stream ends.
 */
@Path("/api/session/{id}/insights")
public class InsightsResource {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final int MAX_POLLS = 600;

    private final InsightsService insights;

    public InsightsResource(InsightsService insights) {
        this.insights = insights;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SessionInsights> insights(@PathParam("id") String id) {
        return insights.of(id);
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @ExistingSession
    public Multi<SessionInsights> stream(@PathParam("id") String id) {
        return Multi.createBy()
                .repeating()
                .uni(() -> insights.of(id))
                .withDelay(POLL)
                .whilst(found -> SessionInsights.PENDING.equals(found.status()))
                .skip()
                .repetitions()
                .select()
                .first(MAX_POLLS);
    }
}
