package io.llmanalytics.problem;

import jakarta.ws.rs.core.Response;
import java.time.Duration;

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
        e.retryAfter().ifPresent(d -> builder.header("Retry-After", retryAfterSeconds(d)));
        return builder.build();
    }

    /** A wait as the {@code Retry-After} header gives it: whole seconds, rounded up, at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
