package io.llmanalytics.api;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.verified.Feedback;
import io.llmanalytics.verified.VerifiedAnswer;
import io.llmanalytics.verified.VerifiedService;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Verified answers and feedback on one answer of a session (the class path of the other per-interaction resources,
 * so that neither shadows the other).
 */
@Path("/api/session/{id}/interactions/{iid}")
@Produces(MediaType.APPLICATION_JSON)
public class VerifiedResource {

    private final VerifiedService verified;

    public VerifiedResource(VerifiedService verified) {
        this.verified = verified;
    }

    /** {@code {rating: "up"|"down", comment?}}. */
    @RegisterForReflection
    public record FeedbackRequest(String rating, String comment) {}

    /**
     * Marks an answer as verified (its code is run again on the current data for the fingerprint): 404 unknown, 409
     * not answered with code, or its result changed since.
     */
    @POST
    @Path("/verify")
    public Uni<VerifiedAnswer> verify(@PathParam("id") String id, @PathParam("iid") String interactionId) {
        return verified.verify(id, interactionId);
    }

    /** Undoes a verification: 404 when the interaction is not verified. */
    @DELETE
    @Path("/verify")
    public Uni<RestResponse<Void>> unverify(@PathParam("id") String id, @PathParam("iid") String interactionId) {
        return verified.unverify(id, interactionId).map(x -> RestResponse.noContent());
    }

    /** Records feedback on an answer (the newest replaces an earlier one). */
    @POST
    @Path("/feedback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Feedback> feedback(
            @PathParam("id") String id, @PathParam("iid") String interactionId, FeedbackRequest request) {
        if (request == null) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST, "Send a JSON body like {\"rating\": \"up\", \"comment\": \"...\"}.");
        }
        return verified.feedback(id, interactionId, request.rating(), request.comment());
    }
}
