package io.llmanalytics.api;

import io.llmanalytics.access.Callers;
import io.llmanalytics.access.StorageQuota;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sources.SourceRequest;
import io.llmanalytics.upload.SessionDatasets;
import io.llmanalytics.upload.SourceSessions;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** More datasets in a session: a CSV, JSON or Excel file (each sheet a dataset) added to an existing session. */
@Path("/api/session/{id}/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetsResource {

    private final SessionDatasets sessions;
    private final StorageQuota quota;
    private final SourceSessions sources;

    public DatasetsResource(SessionDatasets sessions, StorageQuota quota, SourceSessions sources) {
        this.sessions = sessions;
        this.quota = quota;
        this.sources = sources;
    }

    /** A dataset imported from a database source ({@code {"source", "table"|"query", "name"}}). */
    @POST
    @ExistingSession
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DatasetsAddedResponse>> addFromSource(
            @PathParam("id") String id, SourceRequest request, @Context RoutingContext routing) {
        return quota.remaining(Callers.of(routing))
                .chain(budget -> sources.add(id, request, budget))
                .map(added -> RestResponse.ResponseBuilder.<DatasetsAddedResponse>created(
                                URI.create("/api/session/" + id))
                        .entity(DatasetsAddedResponse.of(added))
                        .build());
    }

    /** Re-imports a dataset that came from a source; profile, insights and join keys are recomputed. */
    @POST
    @ExistingSession
    @Path("/{name}/refresh")
    public Uni<DatasetsAddedResponse> refresh(
            @PathParam("id") String id, @PathParam("name") String name, @Context RoutingContext routing) {
        return quota.remaining(Callers.of(routing))
                .chain(budget -> sources.refresh(id, name, budget))
                .map(DatasetsAddedResponse::of);
    }

    @POST
    @ExistingSession
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<RestResponse<DatasetsAddedResponse>> add(
            @PathParam("id") String id, @RestForm("file") FileUpload file, @Context RoutingContext routing) {
        if (file == null || file.uploadedFile() == null) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "Send the table as a multipart/form-data field named 'file' (curl -F file=@more.csv ...).");
        }
        return quota.admit(Callers.of(routing), file.size())
                .chain(() -> sessions.addDatasets(id, file.uploadedFile(), file.fileName(), file.contentType()))
                .map(added -> RestResponse.ResponseBuilder.<DatasetsAddedResponse>created(
                                URI.create("/api/session/" + id))
                        .entity(DatasetsAddedResponse.of(added))
                        .build());
    }
}
