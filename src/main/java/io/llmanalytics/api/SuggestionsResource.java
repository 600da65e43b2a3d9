package io.llmanalytics.api;

import io.llmanalytics.analyst.offline.Suggestions;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.SessionService;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Example questions for a session, built from its default dataset's columns: {@code GET /api/session/{id}/suggestions}. */
@Path("/api/session/{id}/suggestions")
@Produces(MediaType.APPLICATION_JSON)
public class SuggestionsResource {

    static final int MAX = 12;

    /** The example questions of a session; every one is understood by the offline analyst. */
    @RegisterForReflection
    public record SessionSuggestions(String sessionId, String dataset, List<String> questions) {}

    private final SessionService sessions;

    public SuggestionsResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @GET
    public Uni<SessionSuggestions> suggestions(
            @PathParam("id") String id, @QueryParam("limit") @DefaultValue("8") int limit) {
        if (limit < 1 || limit > MAX) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "limit must be 1.." + MAX + ".");
        }
        return sessions.find(id).emitOn(Infrastructure.getDefaultWorkerPool()).map(session -> {
            var dataset = session.defaultDataset();
            return new SessionSuggestions(session.id, dataset.name(), Suggestions.of(dataset.schema(), limit));
        });
    }
}
