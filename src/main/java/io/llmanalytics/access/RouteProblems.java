package io.llmanalytics.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.observability.RequestIds;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemResponses;
import io.llmanalytics.share.SharedPaths;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Answers a problem from a Vert.x route that runs before the resources (the access gate, the session upload's
 * route), as the resources' exception mappers would: {@code application/problem+json} with the request's path
 * (a share link's token masked) and its request id, and {@code Retry-After} when there is a wait. A request whose body
 * was not read is answered with {@code Connection: close}, and the connection closed once the answer is out.
 */
public final class RouteProblems {

    private RouteProblems() {}

    /** Sends {@code problem}; {@code challenge}, when not null, as the {@code WWW-Authenticate} header. */
    public static void send(
            RoutingContext ctx, ObjectMapper json, Problem problem, Optional<Duration> retryAfter, String challenge) {
        Problem body =
                problem.withInstance(SharedPaths.mask(ctx.normalizedPath())).with(RequestIds.KEY, RequestIds.of(ctx));
        var response =
                ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        retryAfter.ifPresent(
                d -> response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(ProblemResponses.retryAfterSeconds(d))));
        if (challenge != null) {
            response.putHeader("WWW-Authenticate", challenge);
        }
        boolean unreadBody = !ctx.request().isEnded() && hasBody(ctx.request());
        if (unreadBody) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"status\":" + problem.status() + "}";
        }
        response.end(text).onComplete(done -> {
            if (unreadBody) {
                ctx.request().connection().close();
            }
        });
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || length != null && !length.strip().equals("0");
    }
}
