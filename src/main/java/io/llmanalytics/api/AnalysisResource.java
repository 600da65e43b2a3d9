package io.llmanalytics.api;

import io.llmanalytics.access.StreamSlot;
import io.llmanalytics.analysis.AnalysisEvent;
import io.llmanalytics.analysis.AnalysisService;
import io.llmanalytics.analysis.Answer;
import io.llmanalytics.analysis.PreparedAnalysis;
import io.llmanalytics.analyst.plan.Mode;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemResponses;
import io.llmanalytics.problem.ProblemType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Asks a question about a session's data. With {@code Accept: text/event-stream} every stage streams as named
 * Server-Sent Events ending with {@code done} or {@code error}; with {@code Accept: application/json} the same
 * pipeline answers with the {@code done} document (or a problem). Checks that can fail before any work (question,
 * session, analyst) answer with a problem before a stream starts.
 */
@Path("/api/session/{id}/analyze")
public class AnalysisResource {

    private final AnalysisService analyses;

    public AnalysisResource(AnalysisService analyses) {
        this.analyses = analyses;
    }

    @POST
    @ExistingSession
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @APIResponses({
        @APIResponse(
                responseCode = "200",
                description = "Named events (status, code, validation, execution, "
                        + "reading, result, chart, interpretation) ending with done (the answer) or error (a problem).",
                content =
                        @Content(
                                mediaType = MediaType.SERVER_SENT_EVENTS,
                                schema = @Schema(implementation = String.class))),
        @APIResponse(
                responseCode = "400",
                description = "Malformed JSON, or a question that is empty or too long.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "404",
                description = "No such session (or another key's).",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "415",
                description = "The body is not application/json.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "429",
                description = "Too many analyses or open streams.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "503",
                description = "No analyst available, or the instance is shutting down.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    })
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<OutboundSseEvent> stream(
            @PathParam("id") String id, AnalyzeRequest request, @Context Sse sse, @Context RoutingContext routing) {
        // checked once (400/503 before the stream starts); the session was read once, by ExistingSessionFilter
        Mode mode = AnalysisService.mode(request == null ? null : request.mode());
        AnalysisService.CheckedQuestion checked = analyses.check(question(request));
        Uni<PreparedAnalysis> prepare = AnalysisStreams.prepare(analyses, id, routing, checked, privacy(request));
        AtomicLong ids = new AtomicLong();
        return AnalysisStreams.onRequestContext(
                analyses.stream(prepare, mode, StreamSlot.of(routing.get(StreamSlot.KEY)))
                        .map(event -> toSse(event, sse, ids)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @APIResponses({
        @APIResponse(
                responseCode = "200",
                description = "The answer (the done event's document).",
                content =
                        @Content(
                                mediaType = MediaType.APPLICATION_JSON,
                                schema = @Schema(implementation = Answer.class))),
        @APIResponse(
                responseCode = "400",
                description = "Malformed JSON, or a question that is empty or too long.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "404",
                description = "No such session (or another key's).",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "415",
                description = "The body is not application/json.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "422",
                description = "The question was declined or no working code was found "
                        + "(a declined question's problem lists unrecognized words and suggestions).",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "503",
                description = "No analyst available, or the instance is shutting down.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    })
    public Uni<Response> answer(@PathParam("id") String id, AnalyzeRequest request, @Context RoutingContext routing) {
        Mode mode = AnalysisService.mode(request == null ? null : request.mode());
        return analyses.prepare(id, question(request), privacy(request))
                .chain(prepared -> analyses.stream(
                                Uni.createFrom().item(prepared), mode, StreamSlot.of(routing.get(StreamSlot.KEY)))
                        .select()
                        .where(AnalysisEvent::terminal)
                        .collect()
                        .first())
                .map(AnalysisResource::toResponse);
    }

    private static Response toResponse(AnalysisEvent event) {
        if (event instanceof AnalysisEvent.Done || event instanceof AnalysisEvent.Finished) {
            return Response.ok(AnalysisStreams.data(event), MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        if (event instanceof AnalysisEvent.Error error) {
            return ProblemResponses.of(AnalysisStreams.problem(error));
        }
        return ProblemResponses.of(Problem.of(ProblemType.INTERNAL, "The analysis ended without an answer."));
    }

    private static OutboundSseEvent toSse(AnalysisEvent event, Sse sse, AtomicLong ids) {
        if (event instanceof AnalysisEvent.Heartbeat) {
            return sse.newEventBuilder().comment("heartbeat").build();
        }
        return sse.newEventBuilder()
                .id(Long.toString(ids.incrementAndGet()))
                .name(event.name())
                .data(AnalysisStreams.data(event))
                .build();
    }

    private static String question(AnalyzeRequest request) {
        if (request == null) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "Send a JSON body like {\"question\": \"What is the total revenue by category?\"}.");
        }
        return request.question();
    }

    private static Boolean privacy(AnalyzeRequest request) {
        return request == null ? null : request.privacy();
    }
}
