package io.llmanalytics.api;

import io.llmanalytics.access.Access;
import io.llmanalytics.access.Callers;
import io.llmanalytics.export.report.ReportService;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.ChartStore;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.share.ShareConfig;
import io.llmanalytics.share.ShareRateLimit;
import io.llmanalytics.share.ShareService;
import io.llmanalytics.share.ShareTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/**
 * What a share link opens, without an API key and read-only: the session view and its chart images. These GET routes
 * are the only ones under {@code /api/shared} (the access gate lets exactly them through, {@code access.Route
 * SHARED_READ}); nothing can be asked, added, pinned or deleted through a link. An unknown, expired or revoked token
 * is the same 404. The link's reports (HTML and PDF) are read-only views of the same stored answers.
 */
@Path("/api/shared/{token}")
@Produces(MediaType.APPLICATION_JSON)
public class SharedResource {

    private static final Set<String> IMAGES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private final ShareService shares;
    private final ShareRateLimit limit;
    private final Access access;
    private final ShareConfig config;
    private final SessionStore store;
    private final ChartStore charts;
    private final ReportService reports;

    public SharedResource(
            ShareService shares,
            ShareRateLimit limit,
            Access access,
            ShareConfig config,
            SessionStore store,
            ChartStore charts,
            ReportService reports) {
        this.shares = shares;
        this.limit = limit;
        this.access = access;
        this.config = config;
        this.store = store;
        this.charts = charts;
        this.reports = reports;
    }

    @GET
    public Uni<Response> session(@PathParam("token") String token, @Context RoutingContext routing) {
        return admitted(token, routing)
                .chain(() -> shares.open(token))
                .chain(opened -> store.allInteractions(opened.session().id)
                        .map(all -> SharedSessionView.of(
                                opened.session(), all, token, opened.share().expiresAt())))
                .map(view -> Response.ok(view)
                        .header("Cache-Control", "no-store")
                        .header("Referrer-Policy", "no-referrer")
                        .build());
    }

    @GET
    @Path("/interactions/{iid}/charts/{n}")
    @Produces({"image/png", "image/jpeg", "image/gif", "image/webp", MediaType.APPLICATION_JSON})
    public Uni<Response> chart(
            @PathParam("token") String token,
            @PathParam("iid") String iid,
            @PathParam("n") String n,
            @Context RoutingContext routing) {
        int index = index(n);
        return admitted(token, routing)
                .chain(() -> shares.open(token))
                .chain(opened -> charts.find(opened.session().id, iid, index))
                .map(found -> found.filter(c -> c.image().length > 0 && IMAGES.contains(c.mime()))
                        .map(c -> Response.ok(c.image(), c.mime())
                                .header("Cache-Control", "private, no-store")
                                .header("X-Content-Type-Options", "nosniff")
                                .build())
                        .orElseThrow(() -> new ProblemException(
                                ProblemType.NOT_FOUND,
                                "This shared session has no chart " + index + " of that interaction.")));
    }

    @GET
    @Path("/report.html")
    @Produces({ReportResource.HTML, MediaType.APPLICATION_JSON})
    public Uni<Response> reportHtml(@PathParam("token") String token, @Context RoutingContext routing) {
        return admitted(token, routing)
                .chain(() -> shares.open(token))
                .chain(opened -> reports.html(opened.session()))
                .map(r -> withNoReferrer(ReportResource.download(r, ReportResource.HTML)));
    }

    @GET
    @Path("/report.pdf")
    @Produces({ReportResource.PDF, MediaType.APPLICATION_JSON})
    public Uni<Response> reportPdf(@PathParam("token") String token, @Context RoutingContext routing) {
        return admitted(token, routing)
                .chain(() -> shares.open(token))
                .chain(opened -> reports.pdf(opened.session()))
                .map(r -> withNoReferrer(ReportResource.download(r, ReportResource.PDF)));
    }

    private static Response withNoReferrer(Response response) {
        response.getHeaders().add("Referrer-Policy", "no-referrer");
        return response;
    }

    @GET
    @Path("/interactions/{iid}/charts/{n}/spec")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> chartSpec(
            @PathParam("token") String token,
            @PathParam("iid") String iid,
            @PathParam("n") String n,
            @Context RoutingContext routing) {
        int index = index(n);
        return admitted(token, routing)
                .chain(() -> shares.open(token))
                .chain(opened -> charts.find(opened.session().id, iid, index))
                .map(found -> found.filter(c -> c.specJson() != null)
                        .map(c -> Response.ok(c.specJson(), MediaType.APPLICATION_JSON)
                                .header("Cache-Control", "private, no-store")
                                .header("X-Content-Type-Options", "nosniff")
                                .build())
                        .orElseThrow(() -> new ProblemException(
                                ProblemType.NOT_FOUND,
                                "This shared session has no interactive chart " + index + " of that interaction.")));
    }

    /**
     * Counts the request per client address and per link: first on this instance (which alone never lets more through
     * than the limit), then in the store, so that the limit holds in total across instances.
     */
    private Uni<Void> admitted(String token, RoutingContext routing) {
        String address = Callers.of(routing).id();
        String link = ShareTokens.hash(token == null ? "" : token);
        int perMinute = config.requestsPerMinute();
        String allowed = "make " + perMinute + " requests a minute through share links, per client and per link"
                + " (SHARE_REQUESTS_PER_MINUTE)";
        return Uni.createFrom()
                .item(() -> {
                    limit.admit(address, link);
                    return null;
                })
                .chain(() -> access.countAcrossInstances("share-client", address, perMinute, allowed))
                .chain(() -> access.countAcrossInstances("share-link", link, perMinute, allowed));
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
        throw new ProblemException(ProblemType.NOT_FOUND, "Charts are numbered 0, 1, 2...");
    }
}
