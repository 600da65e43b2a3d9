package io.llmanalytics.api;

import io.llmanalytics.access.Caller;
import io.llmanalytics.access.Callers;
import io.llmanalytics.access.StorageQuota;
import io.llmanalytics.analysis.AnalysisConfig;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.sources.SourceRequest;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.upload.IngestPhase;
import io.llmanalytics.upload.IngestTimings;
import io.llmanalytics.upload.SessionIntake;
import io.llmanalytics.upload.SourceSessions;
import io.llmanalytics.upload.UploadReceiveClock;
import io.llmanalytics.verified.VerifiedService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Sessions: upload a table, read it back, list and delete. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    static final int MAX_LIMIT = 100;
    /** The upload response's header naming the time of each phase of the ingest ({@link IngestPhase}). */
    static final String SERVER_TIMING = "Server-Timing";

    static final String MISSING_FILE =
            "Send the table as a multipart/form-data field named 'file' (curl -F file=@data.csv ...).";

    private final SessionService sessions;
    private final StorageQuota quota;
    private final SourceSessions sources;
    private final SessionIntake intake;
    private final SessionStore store;
    private final AnalysisConfig analysis;
    private final StoreConfig storeConfig;
    private final VerifiedService verified;

    public SessionResource(
            SessionService sessions,
            StorageQuota quota,
            SourceSessions sources,
            SessionIntake intake,
            SessionStore store,
            AnalysisConfig analysis,
            StoreConfig storeConfig,
            VerifiedService verified) {
        this.sessions = sessions;
        this.quota = quota;
        this.sources = sources;
        this.intake = intake;
        this.store = store;
        this.analysis = analysis;
        this.storeConfig = storeConfig;
        this.verified = verified;
    }

    /** A session whose first dataset is a table or query of a database source ({@code {"source", "table"|"query"}}). */
    @POST
    @Path("/session/create")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<SessionCreatedResponse>> createFromSource(
            SourceRequest request, @Context RoutingContext routing) {
        Caller caller = Callers.of(routing);
        return quota.remaining(caller)
                .chain(budget -> sources.create(request, caller.owner(), budget))
                .map(doc -> RestResponse.ResponseBuilder.<SessionCreatedResponse>created(
                                URI.create("/api/session/" + doc.id))
                        .entity(SessionCreatedResponse.of(doc))
                        .build());
    }

    /**
     * The upload's contract, as documented in the OpenAPI description. {@link SessionUploadRoute} serves it ahead of
     * this method, parsing the table while its bytes arrive; this method serves what that route passes on.
     */
    @POST
    @Path("/session/create")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @APIResponses({
        @APIResponse(
                responseCode = "201",
                description = "The session was created; Location names it.",
                content =
                        @Content(
                                mediaType = MediaType.APPLICATION_JSON,
                                schema = @Schema(implementation = SessionCreatedResponse.class))),
        @APIResponse(
                responseCode = "400",
                description = "No file field, or a file that cannot be read as a table.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "413",
                description = "The file is larger than the upload limit.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "415",
                description = "Not a supported table format (CSV, Excel, JSON...).",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "422",
                description = "A table the service cannot hold (too many cells...).",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "429",
                description = "Too many uploads; Retry-After says when to try again.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(
                responseCode = "503",
                description = "The store is unavailable; try again later.",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    })
    public Uni<RestResponse<SessionCreatedResponse>> create(
            @RestForm("file") FileUpload file, @Context RoutingContext routing) {
        if (file == null || file.uploadedFile() == null) {
            throw new ProblemException(ProblemType.BAD_REQUEST, MISSING_FILE);
        }
        IngestTimings timings = new IngestTimings();
        timings.record(IngestPhase.RECEIVE, UploadReceiveClock.receivedNanos(routing));
        Caller caller = Callers.of(routing);
        return quota.admit(caller, file.size())
                .chain(() -> intake.create(
                        file.uploadedFile(), file.fileName(), file.contentType(), caller.owner(), timings))
                .map(doc -> RestResponse.ResponseBuilder.<SessionCreatedResponse>created(
                                URI.create("/api/session/" + doc.id))
                        .header(SERVER_TIMING, timings.serverTiming())
                        .entity(SessionCreatedResponse.of(doc))
                        .build());
    }

    @GET
    @Path("/session/{id}")
    public Uni<SessionView> get(@PathParam("id") String id) {
        return sessions.find(id)
                .chain(doc -> store.recentInteractions(doc.id, analysis.maxHistory())
                        .map(history -> SessionView.of(doc, history)))
                .chain(view -> verified.marks(view.sessionId()).map(view::withMarks));
    }

    @GET
    @Path("/sessions")
    public Uni<SessionList> list(
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @Context RoutingContext routing) {
        if (limit < 1 || offset < 0) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "limit must be 1.." + MAX_LIMIT + " and offset >= 0.");
        }
        Caller caller = Callers.of(routing);
        return sessions.list(
                        Math.min(limit, MAX_LIMIT),
                        offset,
                        caller.keyed() ? Optional.of(caller.id()) : Optional.empty())
                .map(page -> SessionList.of(page, storeConfig.maxInteractions()));
    }

    @DELETE
    @Path("/session/{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return sessions.delete(id).map(x -> RestResponse.noContent());
    }
}
