package io.llmanalytics.api;

import io.llmanalytics.dashboard.DashboardItem;
import io.llmanalytics.dashboard.DashboardService;
import io.llmanalytics.dashboard.Pin;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A session's dashboard: pin an answer (its code), list, remove and reorder the pins, and read every pin re-run on
 * the current datasets. Like every {@code /api/session/{id}} route, another key's session is a 404.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    /** {@code {"interaction_id": "..."}}. */
    @RegisterForReflection
    public record PinRequest(String interactionId) {}

    /** {@code {"pin_ids": [...]}}: every pin, in the new order. */
    @RegisterForReflection
    public record OrderRequest(List<String> pinIds) {}

    /** A pin as the API shows it (without its code). */
    @RegisterForReflection
    public record PinView(String pinId, String interactionId, String question, int position) {
        static PinView of(Pin pin) {
            return new PinView(pin.id(), pin.interactionId(), pin.question(), pin.position());
        }
    }

    private final DashboardService dashboards;

    public DashboardResource(DashboardService dashboards) {
        this.dashboards = dashboards;
    }

    @POST
    @Path("/session/{id}/pins")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<PinView>> pin(@PathParam("id") String id, PinRequest request) {
        return dashboards
                .pin(id, request == null ? null : request.interactionId())
                .map(pin -> RestResponse.ResponseBuilder.<PinView>created(
                                URI.create("/api/session/" + id + "/pins/" + pin.id()))
                        .entity(PinView.of(pin))
                        .build());
    }

    @GET
    @Path("/session/{id}/pins")
    public Uni<Map<String, List<PinView>>> pins(@PathParam("id") String id) {
        return dashboards
                .pins(id)
                .map(list -> Map.of("pins", list.stream().map(PinView::of).toList()));
    }

    @DELETE
    @Path("/session/{id}/pins/{pin_id}")
    public Uni<RestResponse<Void>> unpin(@PathParam("id") String id, @PathParam("pin_id") String pinId) {
        return dashboards.unpin(id, pinId).map(x -> RestResponse.noContent());
    }

    @PUT
    @Path("/session/{id}/pins/order")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, List<PinView>>> reorder(@PathParam("id") String id, OrderRequest request) {
        return dashboards
                .reorder(id, request == null ? null : request.pinIds())
                .map(list -> Map.of("pins", list.stream().map(PinView::of).toList()));
    }

    @GET
    @Path("/session/{id}/dashboard")
    public Uni<Map<String, List<DashboardItem>>> dashboard(@PathParam("id") String id) {
        return dashboards.dashboard(id).map(items -> Map.of("items", items));
    }
}
