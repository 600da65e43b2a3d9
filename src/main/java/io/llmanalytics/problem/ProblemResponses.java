package io.llmanalytics.problem;

import jakarta.ws.rs.core.Response;

/** Turns problems into HTTP responses. */
public final class ProblemResponses {

    private ProblemResponses() {}

    public static Response of(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    public static Response of(ProblemException e) {
        Response.ResponseBuilder builder =
                Response.status(e.problem().status()).type(Problem.MEDIA_TYPE).entity(e.problem());
        e.retryAfter().ifPresent(d -> builder.header("Retry-After", Math.max(1, (d.toMillis() + 999) / 1000)));
        return builder.build();
    }
}
