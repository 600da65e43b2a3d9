package io.llmanalytics.api;

import io.llmanalytics.share.ShareService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The owner's share links of a session: create (the token is shown once), list (without tokens) and revoke by id.
 * Like every {@code /api/session/{id}} route, another key's session is a 404.
 */
@Path("/api/session/{id}/shares")
@Produces(MediaType.APPLICATION_JSON)
public class ShareResource {

    private final ShareService shares;

    public ShareResource(ShareService shares) {
        this.shares = shares;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ShareCreated>> create(@PathParam("id") String id, ShareRequest request) {
        return shares.create(id, request == null ? null : request.expiresIn())
                .map(created -> RestResponse.ResponseBuilder.<ShareCreated>created(URI.create("/api/session/" + id
                                + "/shares/" + created.share().id()))
                        .entity(ShareCreated.of(created))
                        .build());
    }

    @GET
    public Uni<Map<String, List<ShareSummary>>> list(@PathParam("id") String id) {
        return shares.list(id).map(list -> {
            Instant now = Instant.now();
            return Map.of(
                    "shares", list.stream().map(s -> ShareSummary.of(s, now)).toList());
        });
    }

    @DELETE
    @Path("/{share_id}")
    public Uni<RestResponse<Void>> revoke(@PathParam("id") String id, @PathParam("share_id") String shareId) {
        return shares.revoke(id, shareId).map(x -> RestResponse.noContent());
    }
}
