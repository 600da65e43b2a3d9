package io.llmanalytics.api;

import io.llmanalytics.export.InteractionExports;
import io.llmanalytics.export.ResultTable;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/** Taking an answer elsewhere: its table result as CSV or XLSX, its code (interaction ids are conversation ids). */
@Path("/api/session/{id}/interactions/{iid}")
public class InteractionExportResource {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final InteractionExports exports;

    public InteractionExportResource(InteractionExports exports) {
        this.exports = exports;
    }

    @GET
    @Path("/result.csv")
    @ExistingSession
    public Uni<Response> csv(@PathParam("id") String id, @PathParam("iid") String iid) {
        return exports.table(id, iid)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(table ->
                        table(attachment(table.csv(), "text/csv; charset=UTF-8", "result-" + iid + ".csv"), table));
    }

    @GET
    @Path("/result.xlsx")
    @ExistingSession
    public Uni<Response> xlsx(@PathParam("id") String id, @PathParam("iid") String iid) {
        return exports.table(id, iid)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(table -> table(attachment(table.xlsx("result"), XLSX, "result-" + iid + ".xlsx"), table));
    }

    @GET
    @Path("/code.py")
    @ExistingSession
    public Uni<Response> code(@PathParam("id") String id, @PathParam("iid") String iid) {
        return exports.code(id, iid)
                .map(code -> attachment(
                        code.getBytes(StandardCharsets.UTF_8), "text/x-python; charset=UTF-8", "code-" + iid + ".py"));
    }

    private static Response table(Response response, ResultTable table) {
        response.getHeaders().add("X-Result-Truncated", Boolean.toString(table.truncated()));
        return response;
    }

    static Response attachment(byte[] body, String type, String fileName) {
        return Response.ok(body, type)
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
                .build();
    }
}
