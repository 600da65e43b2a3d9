package io.llmanalytics.api;

import io.llmanalytics.access.SessionOwnership;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemResponses;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers 404 for an unknown session before a streaming endpoint starts: once an event stream has begun, its status
 * is 200 and problems can only be events (Quarkus writes the SSE response head when the stream is subscribed).
 */
public class ExistingSessionFilter {

    /**
     * The routing context key under which the session found is passed on to the resource (read once per request: the
     * one {@link SessionOwnership} read for this request, when it did, is used as it is).
     */
    public static final String SESSION = SessionOwnership.SESSION;

    /** How long this filter's read of the session took, in nanoseconds (a request context key). */
    static final String SESSION_READ_NANOS = "llm-analytics.session-read-nanos";

    private final SessionService sessions;

    public ExistingSessionFilter(SessionService sessions) {
        this.sessions = sessions;
    }

    @ExistingSession
    @ServerRequestFilter
    public Uni<Response> sessionExists(ContainerRequestContext request, RoutingContext routing) {
        String id = request.getUriInfo().getPathParameters().getFirst("id");
        SessionDocument read = routing.get(SESSION);
        if (read != null && read.id.equals(id)) {
            return Uni.createFrom().nullItem(); // read by SessionOwnership for this very request
        }
        long start = System.nanoTime();
        return sessions.find(id)
                .map(found -> {
                    routing.put(SESSION_READ_NANOS, System.nanoTime() - start);
                    routing.put(SESSION, found);
                    return (Response) null;
                })
                .onFailure(ProblemException.class)
                .recoverWithItem(e -> ProblemResponses.of(new ProblemException(
                        ((ProblemException) e)
                                .problem()
                                .withInstance(request.getUriInfo().getPath()),
                        ((ProblemException) e).retryAfter().orElse(null),
                        null)));
    }
}
