package io.llmanalytics.insights;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

/**
 * {@code GET /api/session/{id}/insights} → {@code {session_id, status: ready|pending|failed, insights: [...],
 * detail?}}; 404 problem for an unknown session. {@code pending}: ask again in a moment.
 */
@Path("/api/session/{id}/insights")
@Produces(MediaType.APPLICATION_JSON)
public class InsightsResource {

    private final InsightsService insights;

    public InsightsResource(InsightsService insights) {
        this.insights = insights;
    }

    @GET
    public Uni<SessionInsights> insights(@PathParam("id") String id) {
        return insights.of(id);
    }
}
