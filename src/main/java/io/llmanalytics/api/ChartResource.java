package io.llmanalytics.api;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.ChartStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/**
 * The image of a chart an answer drew, as stored with its interaction ({@code href} of a history entry's chart), and
 * its interactive form at {@code href + "/spec"} (a Plotly figure {@code {data, layout}} as JSON; 404 for a chart
 * without one). Same access as every session endpoint: an unknown session, or another key's, is a 404.
 */
@Path("/api/session/{id}/interactions/{iid}/charts/{n}")
public class ChartResource {

    /** The only types served: anything else the worker claimed is never sent as it is. */
    private static final Set<String> IMAGES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private final ChartStore charts;

    public ChartResource(ChartStore charts) {
        this.charts = charts;
    }

    @GET
    @ExistingSession
    public Uni<Response> image(@PathParam("id") String id, @PathParam("iid") String iid, @PathParam("n") String n) {
        int index = index(n);
        return charts.find(id, iid, index)
                .map(found -> found.filter(chart -> chart.image().length > 0 && IMAGES.contains(chart.mime()))
                        .map(chart -> Response.ok(chart.image(), chart.mime())
                                .header("Cache-Control", "private, max-age=86400, immutable")
                                .header("X-Content-Type-Options", "nosniff")
                                .build())
                        .orElseThrow(() -> new ProblemException(
                                ProblemType.NOT_FOUND,
                                "Interaction '" + shortened(iid)
                                        + "' of this session has no chart " + index
                                        + " (charts count from 0; see the charts of its "
                                        + "history entry).")));
    }

    @GET
    @Path("spec")
    @ExistingSession
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> spec(@PathParam("id") String id, @PathParam("iid") String iid, @PathParam("n") String n) {
        int index = index(n);
        return charts.find(id, iid, index)
                .map(found -> found.filter(chart -> chart.specJson() != null)
                        .map(chart -> Response.ok(chart.specJson(), MediaType.APPLICATION_JSON)
                                .header("Cache-Control", "private, max-age=86400, immutable")
                                .header("X-Content-Type-Options", "nosniff")
                                .build())
                        .orElseThrow(() -> new ProblemException(
                                ProblemType.NOT_FOUND,
                                "Interaction '" + shortened(iid) + "' of this session has no interactive chart " + index
                                        + " (its image, when there is one, is at the chart's href).")));
    }

    private static int index(String n) {
        try {
            int index = Integer.parseInt(n);
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(
                ProblemType.NOT_FOUND, "Charts are numbered 0, 1, 2...; '" + shortened(n) + "' is not a chart number.");
    }

    private static String shortened(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) : s;
    }
}
