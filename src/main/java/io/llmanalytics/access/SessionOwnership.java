package io.llmanalytics.access;

import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemResponses;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.SessionService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * With API keys, a session is visible only to the key that created it: every endpoint under
 * {@code /api/session/{id}} answers another key exactly as it answers for a session that does not exist (404), before
 * the endpoint runs. A failure to look the session up refuses the request (fail closed).
 */
public class SessionOwnership {

    static final String SESSION_PATH = "/api/session/";

    /**
     * The routing context key under which the session read here is passed on to later filters and resources of the
     * same request (so that it is read once per request, never reused across requests).
     */
    public static final String SESSION = "llm-analytics.session";

    private final Access access;
    private final SessionService sessions;

    public SessionOwnership(Access access, SessionService sessions) {
        this.access = access;
        this.sessions = sessions;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Response> ownSessionsOnly(ContainerRequestContext request, RoutingContext routing) {
        String id = request.getUriInfo().getPathParameters().getFirst("id");
        if (access.isOpen() || id == null || !request.getUriInfo().getPath().startsWith(SESSION_PATH)) {
            return Uni.createFrom().nullItem();
        }
        Caller caller = Callers.of(routing);
        String path = request.getUriInfo().getPath();
        return sessions.find(id)
                .map(session -> {
                    if (!caller.owns(session.owner)) {
                        return notFound(id, path);
                    }
                    routing.put(SESSION, session);
                    return (Response) null;
                })
                .onFailure()
                .recoverWithItem(e -> {
                    ProblemException problem = e instanceof ProblemException p
                            ? p
                            : new ProblemException(ProblemType.INTERNAL, "Could not check who owns the session.", e);
                    return ProblemResponses.of(new ProblemException(
                            problem.problem().withInstance(path),
                            problem.retryAfter().orElse(null),
                            null));
                });
    }

    /** The same answer as for a session that does not exist. */
    private static Response notFound(String id, String path) {
        return ProblemResponses.of(Problem.of(ProblemType.NOT_FOUND, "No session with id '" + id + "'.")
                .withInstance(path));
    }
}
