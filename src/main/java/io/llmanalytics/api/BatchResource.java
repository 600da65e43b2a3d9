package io.llmanalytics.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmanalytics.access.BatchSlots;
import io.llmanalytics.access.StreamSlot;
import io.llmanalytics.analysis.AnalysisEvent;
import io.llmanalytics.analysis.AnalysisService;
import io.llmanalytics.analysis.BatchService;
import io.llmanalytics.analysis.Indexed;
import io.llmanalytics.analysis.PreparedAnalysis;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Asks several questions about a session's data at once. With {@code Accept: text/event-stream} every question's
 * events stream as for {@code /analyze}, each carrying its question's 0-based {@code index}, and one
 * {@code batch_done} ends the stream; with {@code Accept: application/json} the answers come as one array, in the
 * order asked (a problem object in place of a question that failed). Invalid batches are refused before any work.
 */
@Path("/api/session/{id}/batch")
public class BatchResource {

    private final BatchService batches;
    private final AnalysisService analyses;
    private final BatchSlots slots;
    private final ObjectMapper json;

    public BatchResource(BatchService batches, AnalysisService analyses, BatchSlots slots, ObjectMapper json) {
        this.batches = batches;
        this.analyses = analyses;
        this.slots = slots;
        this.json = json;
    }

    @POST
    @ExistingSession
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @APIResponses({
        @APIResponse(
                responseCode = "200",
                description = "Each question's events (as /analyze streams them) with its index, each question ending"
                        + " with done or error; batch_done {total, answered, failed, declined} ends the stream.",
                content =
                        @Content(
                                mediaType = MediaType.SERVER_SENT_EVENTS,
                                schema = @Schema(implementation = String.class))),
        @APIResponse(
                responseCode = "400",
                description = "Malformed JSON, no questions, too many, or a question empty or too long.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "404",
                description = "No such session (or another key's).",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "429",
                description = "Too many analyses, or no analysis slot free for this caller.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    })
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<OutboundSseEvent> stream(
            @PathParam("id") String id, BatchRequest request, @Context Sse sse, @Context RoutingContext routing) {
        List<AnalysisService.CheckedQuestion> checked = batches.check(questions(request));
        Uni<PreparedAnalysis> prepare = slots.admitQuestions(routing, checked.size())
                .chain(() -> AnalysisStreams.prepare(analyses, id, routing, checked.get(0), privacy(request)));
        AtomicLong ids = new AtomicLong();
        return AnalysisStreams.onRequestContext(run(prepare, checked, routing).map(event -> toSse(event, sse, ids)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @APIResponses({
        @APIResponse(
                responseCode = "200",
                description = "The answers in the order asked: each the done event's document, or the problem of a"
                        + " question that failed or was declined.",
                content = @Content(mediaType = MediaType.APPLICATION_JSON)),
        @APIResponse(
                responseCode = "400",
                description = "Malformed JSON, no questions, too many, or a question empty or too long.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "404",
                description = "No such session (or another key's).",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "429",
                description = "The batch's questions do not fit the caller's analyses per minute, or no slot is free.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    })
    public Uni<Response> answers(@PathParam("id") String id, BatchRequest request, @Context RoutingContext routing) {
        List<AnalysisService.CheckedQuestion> checked = batches.check(questions(request));
        return slots.admitQuestions(routing, checked.size())
                .chain(() -> analyses.prepare(id, checked.get(0), privacy(request)))
                .chain(prepared -> run(Uni.createFrom().item(prepared), checked, routing)
                        .select()
                        .where(e -> e.index() != null && e.event().terminal())
                        .collect()
                        .asList())
                .map(terminal -> {
                    List<Object> ordered = new ArrayList<>();
                    for (int i = 0; i < checked.size(); i++) {
                        ordered.add(null);
                    }
                    for (Indexed e : terminal) {
                        ordered.set(e.index(), toJson(e.event()));
                    }
                    return Response.ok(ordered, MediaType.APPLICATION_JSON_TYPE).build();
                });
    }

    private Multi<Indexed> run(
            Uni<PreparedAnalysis> prepare, List<AnalysisService.CheckedQuestion> checked, RoutingContext routing) {
        return batches.stream(
                prepare, checked, StreamSlot.of(routing.get(StreamSlot.KEY)), wanted -> slots.take(routing, wanted));
    }

    /** A question's answer as the array holds it: the done event's document, or its problem. */
    private static Object toJson(AnalysisEvent event) {
        if (event instanceof AnalysisEvent.Done done) {
            return done.answer();
        }
        if (event instanceof AnalysisEvent.Error error) {
            return AnalysisStreams.problem(error);
        }
        return Problem.of(ProblemType.INTERNAL, "The question ended without an answer.");
    }

    private OutboundSseEvent toSse(Indexed indexed, Sse sse, AtomicLong ids) {
        AnalysisEvent event = indexed.event();
        if (event instanceof AnalysisEvent.Heartbeat) {
            return sse.newEventBuilder().comment("heartbeat").build();
        }
        JsonNode node = json.valueToTree(AnalysisStreams.data(event));
        if (indexed.index() != null && node instanceof ObjectNode object) {
            object.put("index", indexed.index());
        }
        return sse.newEventBuilder()
                .id(Long.toString(ids.incrementAndGet()))
                .name(event.name())
                .data(node)
                .build();
    }

    private static List<String> questions(BatchRequest request) {
        if (request == null) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "Send a JSON body like {\"questions\": [\"What is the total revenue?\", \"How many rows are there?\"]}.");
        }
        return request.questions();
    }

    private static Boolean privacy(BatchRequest request) {
        return request == null ? null : request.privacy();
    }
}
