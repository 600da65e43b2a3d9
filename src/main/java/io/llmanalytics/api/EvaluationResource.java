package io.llmanalytics.api;

import io.llmanalytics.evaluation.Evaluation;
import io.llmanalytics.evaluation.EvaluationEvent;
import io.llmanalytics.evaluation.EvaluationService;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.verified.VerifiedAnswer;
import io.llmanalytics.verified.VerifiedService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Evaluations of a session's verified answers: {@code POST} asks every verified question again (SSE:
 * {@code evaluation_item} events, then {@code evaluation_done}; JSON: the evaluation), {@code GET} lists the kept
 * ones, newest first; {@code GET .../verified} lists the verified answers asked. An unknown session (404) or one
 * without verified answers (409) is a problem in JSON, and the stream's only ({@code error}) event in SSE.
 */
@Path("/api")
public class EvaluationResource {

    private final EvaluationService evaluations;
    private final VerifiedService verified;

    public EvaluationResource(EvaluationService evaluations, VerifiedService verified) {
        this.evaluations = evaluations;
        this.verified = verified;
    }

    @POST
    @Path("/session/{id}/evaluate")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @APIResponses({
        @APIResponse(
                responseCode = "200",
                description = "evaluation_item {index, question, outcome, detail} per verified question, then"
                        + " evaluation_done (the evaluation); a stream that cannot start is one error event.",
                content =
                        @Content(
                                mediaType = MediaType.SERVER_SENT_EVENTS,
                                schema = @Schema(implementation = String.class)))
    })
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @Context Sse sse) {
        AtomicLong ids = new AtomicLong();
        // an unknown session, no analyst or no verified answers: the stream's only event is an error (a problem)
        Multi<OutboundSseEvent> events = evaluations
                .prepare(id)
                .onItem()
                .transformToMulti(evaluations::run)
                .map(event -> toSse(event, sse, ids))
                .onFailure()
                .recoverWithItem(e -> error(e, sse, ids));
        return AnalysisStreams.onRequestContext(events);
    }

    @POST
    @Path("/session/{id}/evaluate")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Uni<Evaluation> evaluate(@PathParam("id") String id) {
        return evaluations
                .prepare(id)
                .chain(prepared -> evaluations
                        .run(prepared)
                        .select()
                        .where(e -> e instanceof EvaluationEvent.Done)
                        .collect()
                        .first())
                .map(done -> ((EvaluationEvent.Done) done).evaluation());
    }

    @GET
    @Path("/session/{id}/evaluations")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, List<Evaluation>>> list(@PathParam("id") String id) {
        return evaluations.list(id).map(all -> Map.of("evaluations", all));
    }

    /** The session's verified answers, oldest first. */
    @GET
    @Path("/session/{id}/verified")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, List<VerifiedAnswer>>> verified(@PathParam("id") String id) {
        return verified.list(id).map(all -> Map.of("verified", all));
    }

    private static OutboundSseEvent error(Throwable failure, Sse sse, AtomicLong ids) {
        ProblemException known = ProblemFailures.find(failure);
        Problem problem = known != null
                ? known.problem()
                : Problem.of(ProblemType.INTERNAL, "The evaluation could not start; the error has been logged.");
        if (known == null) {
            Log.errorf(failure, "An evaluation stream failed before its first event");
        }
        return sse.newEventBuilder()
                .id(Long.toString(ids.incrementAndGet()))
                .name("error")
                .data(problem)
                .build();
    }

    private static OutboundSseEvent toSse(EvaluationEvent event, Sse sse, AtomicLong ids) {
        Object data = switch (event) {
            case EvaluationEvent.ItemDone item -> item.item();
            case EvaluationEvent.Done done -> done.evaluation();
        };
        return sse.newEventBuilder()
                .id(Long.toString(ids.incrementAndGet()))
                .name(event.name())
                .data(data)
                .build();
    }
}
