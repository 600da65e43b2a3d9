package io.llmanalytics.access;

import io.llmanalytics.observability.RequestIds;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.upload.UploadConfig;
import io.llmanalytics.upload.UploadMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

/**
 * Refuses uploads over {@code MAX_UPLOAD_SIZE} with a 413 problem: at once when the request declares its length
 * (before any of the body is read), and as soon as a streamed body passes the limit. The connection is closed so
 * that clients stop sending. Refusals count in {@code upload.rejected{reason=too_large}}.
 */
@ApplicationScoped
public class UploadLimits {

    public static final String TOO_LARGE = "too_large";
    private static final long WATCH_INTERVAL_MS = 200;
    /**
     * How long the rest of a refused body is read and dropped before the connection is closed ("lingering close"):
     * closing while the client still sends makes its kernel discard the 413 on the reset that follows.
     */
    private static final long LINGER_MS = 3000;

    private final UploadConfig config;
    private final UploadMetrics metrics;

    public UploadLimits(UploadConfig config, UploadMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    void route(@Observes Router router) {
        Route.UPLOADS.forEach(r -> route(router, r.vertxPath()));
    }

    private void route(Router router, String path) {
        router.post(path).order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && declaredTooLarge(length)) {
                refuse(ctx);
                return;
            }
            if (length == null) {
                watchStreamedBody(ctx);
            }
            ctx.next();
        });
    }

    /**
     * A body without a declared length (chunked) is counted as it arrives: once more than the limit has been read,
     * the 413 is sent and the connection closed. And when the request was answered before its body was read (the
     * multipart reader's own 413), the connection is closed too: the reader stops reading, and a client still sending
     * would wait for ever.
     */
    private void watchStreamedBody(RoutingContext ctx) {
        long limit = config.maxSize().asLongValue();
        Vertx vertx = ctx.vertx();
        vertx.setPeriodic(WATCH_INTERVAL_MS, id -> {
            if (ctx.request().isEnded() || ctx.response().closed()) {
                vertx.cancelTimer(id);
            } else if (ctx.response().ended()) {
                vertx.cancelTimer(id);
                ctx.request().connection().close();
            } else if (ctx.request().bytesRead() > limit) {
                vertx.cancelTimer(id);
                if (!ctx.response().headWritten()) {
                    refuse(ctx);
                } else {
                    ctx.request().connection().close();
                }
            }
        });
    }

    private void refuse(RoutingContext ctx) {
        metrics.rejected(TOO_LARGE);
        Problem problem = problem(config, ctx.request().path()).with(RequestIds.KEY, RequestIds.of(ctx));
        ctx.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(new ProblemBody(problem)))
                .onComplete(sent -> linger(ctx));
    }

    /** Reads and drops what the client still sends, then closes: at the body's end, or after {@link #LINGER_MS}. */
    private static void linger(RoutingContext ctx) {
        var request = ctx.request();
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        long timer = ctx.vertx().setTimer(LINGER_MS, id -> request.connection().close());
        request.handler(dropped -> {});
        request.endHandler(ended -> {
            ctx.vertx().cancelTimer(timer);
            request.connection().close();
        });
        request.exceptionHandler(failed -> ctx.vertx().cancelTimer(timer));
        request.resume();
    }

    private boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > config.maxSize().asLongValue();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static Response tooLarge(UploadConfig config, String path) {
        return Response.status(413)
                .type(Problem.MEDIA_TYPE)
                .header("Connection", "close")
                .entity(problem(config, path))
                .build();
    }

    static Problem problem(UploadConfig config, String path) {
        long mb = config.maxSize().asLongValue() / (1024 * 1024);
        return Problem.of(
                        ProblemType.PAYLOAD_TOO_LARGE,
                        "The upload is larger than " + mb
                                + " MB, the limit set by MAX_UPLOAD_SIZE. Upload a smaller file (or fewer rows).")
                .withInstance(path)
                .with("max_bytes", config.maxSize().asLongValue());
    }

    /**
     * The problem as the snake_case JSON document the API sends (Vert.x encodes maps as they are); registered for
     * reflection because Jackson serialises it outside of any REST endpoint.
     */
    @RegisterForReflection
    record ProblemBody(
            String type, String title, int status, String detail, String instance, long max_bytes, String request_id) {
        ProblemBody(Problem p) {
            this(
                    p.type(),
                    p.title(),
                    p.status(),
                    p.detail(),
                    p.instance(),
                    (Long) p.extensions().get("max_bytes"),
                    (String) p.extensions().get(RequestIds.KEY));
        }
    }
}
