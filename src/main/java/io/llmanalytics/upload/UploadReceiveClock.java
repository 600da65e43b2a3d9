package io.llmanalytics.upload;

import io.llmanalytics.access.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Notes when an upload request arrives, before its body is read, so that the upload's {@code receive} phase (body to
 * the multipart file on disk) can be measured where the body has been read: the session upload's route, the
 * resources ({@link #receivedNanos}).
 */
@ApplicationScoped
public class UploadReceiveClock {

    static final String ARRIVED = "io.llmanalytics.upload.arrived";

    void route(@Observes Router router) {
        Route.UPLOADS.forEach(r -> router.post(r.vertxPath())
                .order(Integer.MIN_VALUE + 1)
                .handler(ctx -> {
                    ctx.put(ARRIVED, System.nanoTime());
                    ctx.next();
                }));
    }

    /** Nanoseconds from the request's arrival to now (the body has been received), or 0 when not noted. */
    public static long receivedNanos(RoutingContext ctx) {
        Long arrived = ctx == null ? null : ctx.get(ARRIVED);
        return arrived == null ? 0 : System.nanoTime() - arrived;
    }
}
