package io.llmanalytics.api;

import io.llmanalytics.export.InteractionExports;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** The session as a Jupyter notebook that loads the datasets' CSV exports and replays the answered questions. */
@Path("/api/session/{id}/notebook")
public class NotebookResource {

    static final String NOTEBOOK = "application/x-ipynb+json";

    private final InteractionExports exports;

    public NotebookResource(InteractionExports exports) {
        this.exports = exports;
    }

    @GET
    @ExistingSession
    public Uni<Response> notebook(@PathParam("id") String id) {
        return exports.notebook(id)
                .map(bytes -> InteractionExportResource.attachment(bytes, NOTEBOOK, "session-" + id + ".ipynb"));
    }
}
