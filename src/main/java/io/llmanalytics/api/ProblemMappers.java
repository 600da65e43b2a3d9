package io.llmanalytics.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.llmanalytics.access.Route;
import io.llmanalytics.access.UploadLimits;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemResponses;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.share.SharedPaths;
import io.llmanalytics.upload.UploadConfig;
import io.llmanalytics.upload.UploadMetrics;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the API as {@code application/problem+json}, never as a stack trace. */
public class ProblemMappers {

    private final UploadConfig uploads;
    private final UploadMetrics uploadMetrics;

    public ProblemMappers(UploadConfig uploads, UploadMetrics uploadMetrics) {
        this.uploads = uploads;
        this.uploadMetrics = uploadMetrics;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(ProblemFailures.answer(e, path(uri)), uri);
    }

    private static Response respond(ProblemException e, UriInfo uri) {
        return ProblemResponses.of(new ProblemException(
                e.problem().withInstance(path(uri)), e.retryAfter().orElse(null), null));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException malformed) {
            return json(malformed, uri); // the JSON reader wraps what the parser found
        }
        int status = e.getResponse().getStatus();
        if (status == 413) {
            uploadMetrics.rejected(UploadLimits.TOO_LARGE);
            return UploadLimits.tooLarge(uploads, path(uri));
        }
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 404 -> "No resource at " + path(uri) + ".";
            case 405 -> "This method is not allowed on " + path(uri) + ".";
            case 406 -> "Ask for application/json (or text/event-stream where the endpoint streams).";
            case 415 -> unsupportedBody(path(uri));
            default -> e.getMessage() == null ? type.title() : e.getMessage();
        };
        Problem problem = new Problem(type.uri(), type.title(), status, detail, path(uri), Map.of());
        return ProblemResponses.of(problem);
    }

    /** What a body sent with the wrong content type should be, by endpoint. */
    static String unsupportedBody(String path) {
        if (Route.ANALYZE.matches(path)) {
            return "Send the question as application/json, for example {\"question\": \"What is the total revenue by "
                    + "region?\"} with Content-Type: application/json (a form-encoded or text body is not read).";
        }
        if (Route.isUpload(path)) {
            return "Send the table as multipart/form-data with a field named 'file' (curl -F file=@data.csv ...).";
        }
        return "This endpoint does not accept that content type; JSON endpoints take application/json.";
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String reason = e.getOriginalMessage() == null
                ? "malformed JSON"
                : e.getOriginalMessage().lines().findFirst().orElse("malformed JSON");
        JsonLocation at = e.getLocation();
        String where =
                at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String detail = e instanceof JsonParseException || e instanceof JsonEOFException
                ? "The request body is malformed JSON" + where + ": " + reason + ". Send a JSON object such as "
                        + "{\"question\": \"What is the total revenue by region?\"}."
                : "The request body is JSON but not what this endpoint takes" + where + ": " + reason + ".";
        Problem problem = Problem.of(ProblemType.BAD_REQUEST, detail).withInstance(path(uri));
        if (at != null && at.getLineNr() > 0) {
            problem = problem.with("line", at.getLineNr()).with("column", at.getColumnNr());
        }
        return ProblemResponses.of(problem);
    }

    /** JSON of the wrong shape (an array for an object...): Quarkus' own mapper would answer a bare 400. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response constraints(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", lastNode(v.getPropertyPath().toString()), "message", v.getMessage()))
                .toList();
        String detail = violations.stream()
                .map(v -> v.get("field") + " " + v.get("message"))
                .reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        return ProblemResponses.of(Problem.of(ProblemType.VALIDATION_FAILED, detail)
                .withInstance(path(uri))
                .with("violations", violations));
    }

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        return respond(ProblemFailures.answer(e, path(uri)), uri);
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    /** The request's path as problems and logs show it: a share link's token masked. */
    private static String path(UriInfo uri) {
        return SharedPaths.mask(uri.getPath());
    }
}
