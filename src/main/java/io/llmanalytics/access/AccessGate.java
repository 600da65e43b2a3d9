package io.llmanalytics.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.store.StoreFailures;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The first route of every request, before any body is read. For {@code /api}: checks the API key (401), counts
 * uploads and analyses per caller (429), takes a concurrent-analysis slot for the life of the response (429), refuses
 * JSON bodies over their limit (413), and cuts off uploads slower than the floor (408). Records the
 * {@link Caller} for the endpoints ({@link Callers#of}).
 */
@ApplicationScoped
public class AccessGate {

    private static final Pattern SLASHES = Pattern.compile("/{2,}");
    private static final String BEARER = "bearer ";
    private static final long BODY_CHECK_MILLIS = 100;

    private final Access access;
    private final ObjectMapper json;
    private final Vertx vertx;

    public AccessGate(Access access, ObjectMapper json, Vertx vertx) {
        this.access = access;
        this.json = json;
        this.vertx = vertx;
    }

    /**
     * Before Quarkus' body handler (order {@code Integer.MIN_VALUE + 1}), so that refusals come before any of the body
     * is read and the upload pace is watched from the first byte.
     */
    void route(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String path = SLASHES.matcher(ctx.normalizedPath()).replaceAll("/");
        if (!isApi(path)
                && !isApi(SLASHES.matcher(String.valueOf(ctx.request().path())).replaceAll("/"))) {
            ctx.next();
            return;
        }
        HttpMethod verb = ctx.request().method();
        if ((verb == HttpMethod.GET || verb == HttpMethod.HEAD)
                && Route.SHARED_READ.matches(path)
                && Route.SHARED_READ.matches(
                        SLASHES.matcher(String.valueOf(ctx.request().path())).replaceAll("/"))) {
            ctx.next(); // a share link's read-only view: no key; its token is checked and its rate limited there
            return;
        }
        try {
            Caller caller = authenticate(ctx);
            ctx.put(Callers.KEY, caller);
            HttpMethod method = ctx.request().method();
            if (method == HttpMethod.POST && Route.isUpload(path)) {
                access.limits().admitUpload(caller);
                int limit = access.config().limits().uploadsPerMinute();
                Uni<Runnable> shared = limit <= 0 || access.shared().isEmpty()
                        ? null
                        : access.shared()
                                .get()
                                .count("upload", caller.limitKey(), limit, CallerLimits.uploadsAllowed(limit))
                                .replaceWith(NOTHING);
                proceed(ctx, shared, () -> watchPace(ctx));
                return;
            } else if (method == HttpMethod.POST && (Route.ANALYZE.matches(path) || Route.BATCH.matches(path))) {
                checkBodySize(ctx);
                StreamSlot slot = new StreamSlot(access.limits().openStream(caller));
                if (access.shared().isEmpty()) {
                    try {
                        access.limits().admitAnalysis(caller);
                    } catch (ProblemException e) {
                        slot.release();
                        throw e;
                    }
                }
                // given back by the analysis before its terminal event, or when the response ends, whichever is first
                ctx.put(StreamSlot.KEY, slot);
                ctx.addEndHandler(ignored -> slot.release());
                proceed(
                        ctx,
                        access.shared()
                                .map(s -> sharedAnalysis(s, caller, slot))
                                .orElse(null),
                        () -> watchBodySize(ctx));
                return;
            } else if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
                checkBodySize(ctx);
                watchBodySize(ctx);
            }
        } catch (ProblemException e) {
            refuse(ctx, e.problem(), e.retryAfter(), e.problem().status() == 401 ? challenge(ctx) : null);
            return;
        }
        ctx.next();
    }

    private static final Runnable NOTHING = () -> {};

    /**
     * The analysis' checks once this instance's pre-check gave a slot: a slot in the store, then the minute's count
     * here and in the store (the slot given back if over). Counted only once a slot is had, so that a caller waiting
     * for a slot does not use up its analyses.
     */
    private Uni<Runnable> sharedAnalysis(SharedLimits shared, Caller caller, StreamSlot slot) {
        AccessConfig.Limits limits = access.config().limits();
        Supplier<Uni<Void>> noLease = () -> Uni.createFrom().voidItem();
        Uni<Supplier<Uni<Void>>> lease = limits.concurrentStreams() <= 0
                ? Uni.createFrom().item(() -> noLease)
                : shared.openStream(caller.limitKey(), limits.concurrentStreams());
        return lease.call(release -> {
                    Uni<Void> counted = Uni.createFrom().item(() -> {
                        access.limits().admitAnalysis(caller);
                        return null;
                    });
                    if (limits.analysesPerMinute() > 0) {
                        counted = counted.chain(() -> shared.count(
                                "analysis",
                                caller.limitKey(),
                                limits.analysesPerMinute(),
                                CallerLimits.analysesAllowed(limits.analysesPerMinute())));
                    }
                    return counted.onFailure().call(e -> release.get());
                })
                .map(release -> {
                    slot.add(release); // given back with the rest of the slot (at once if it already was)
                    return NOTHING;
                });
    }

    /**
     * Continues with the request once the store has admitted it ({@code shared} null: nothing to ask), back on the
     * request's context; a refusal (429, or 503 when the store does not answer) ends it with its problem. The request
     * stays paused meanwhile (Quarkus pauses it until a handler reads the body). The release given by the store is
     * run when the response ends, or at once when the client went away while the store was asked.
     */
    private void proceed(RoutingContext ctx, Uni<Runnable> shared, Runnable then) {
        if (shared == null) {
            then.run();
            ctx.next();
            return;
        }
        Context context = vertx.getOrCreateContext();
        shared.subscribe()
                .with(
                        release -> context.runOnContext(v -> {
                            if (ctx.response().ended() || ctx.response().closed()) {
                                release.run();
                                return;
                            }
                            ctx.addEndHandler(ignored -> release.run());
                            then.run();
                            ctx.next();
                        }),
                        e -> context.runOnContext(v -> {
                            ProblemException problem = e instanceof ProblemException p
                                    ? p
                                    : (ProblemException) StoreFailures.unavailable(e);
                            if (!ctx.response().ended() && !ctx.response().closed()) {
                                refuse(ctx, problem.problem(), problem.retryAfter(), null);
                            }
                        }));
    }

    private static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    private Caller authenticate(RoutingContext ctx) {
        if (access.isOpen()) {
            return new Caller(address(ctx), false);
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw new ProblemException(
                    ProblemType.UNAUTHORIZED,
                    "This service needs an API key: send it as 'Authorization: Bearer <key>'.");
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ProblemException(
                    ProblemType.UNAUTHORIZED,
                    "Send the API key with the Bearer scheme: 'Authorization: Bearer <key>'.");
        }
        String id = access.idOf(header.substring(BEARER.length()).strip())
                .orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED, "The API key is not valid."));
        return new Caller(id, true);
    }

    private static String challenge(RoutingContext ctx) {
        return ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null
                ? "Bearer realm=\"llm-analytics\""
                : "Bearer realm=\"llm-analytics\", error=\"invalid_token\"";
    }

    /** 413 at once when a JSON request declares a body over the limit. */
    private void checkBodySize(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && isJson(ctx)) {
            try {
                if (Long.parseLong(length.strip()) > access.maxJsonBody()) {
                    throw access.jsonBodyTooLarge();
                }
            } catch (NumberFormatException e) {
                // Vert.x itself refuses a malformed Content-Length
            }
        }
    }

    private static boolean isJson(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type == null || type.toLowerCase(Locale.ROOT).contains("json");
    }

    /**
     * Closes a chunked JSON body that grows far past the limit before it is read whole ({@link JsonBodyLimit} refuses
     * smaller ones exactly, once read): the body is never buffered without bound.
     */
    private void watchBodySize(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) != null || request.isEnded() || !isJson(ctx)) {
            return;
        }
        long timer = vertx.setPeriodic(BODY_CHECK_MILLIS, id -> {
            if (request.isEnded() || ctx.response().ended()) {
                vertx.cancelTimer(id);
            } else if (request.bytesRead() > access.maxJsonBody()) {
                vertx.cancelTimer(id);
                cutOff(ctx, access.jsonBodyTooLarge().problem(), Optional.empty());
            }
        });
        ctx.addEndHandler(ignored -> vertx.cancelTimer(timer));
    }

    /** Cuts off an upload whose bytes arrive slower than the floor, averaged over the rate window. */
    private void watchPace(RoutingContext ctx) {
        AccessConfig.Upload upload = access.config().upload();
        long floor = upload.minBytesPerSecond().asLongValue();
        HttpServerRequest request = ctx.request();
        if (floor <= 0 || request.isEnded()) {
            return;
        }
        long window = upload.rateWindow().toNanos();
        UploadPace pace = new UploadPace(floor, window, System.nanoTime());
        long tick = Math.max(50, Math.min(1000, upload.rateWindow().toMillis() / 4));
        long timer = vertx.setPeriodic(tick, id -> {
            if (request.isEnded() || ctx.response().ended()) {
                vertx.cancelTimer(id);
                return;
            }
            long now = System.nanoTime();
            long bytes = request.bytesRead();
            if (pace.tooSlow(now, bytes)) {
                vertx.cancelTimer(id);
                long rate = pace.rate(now, bytes);
                Log.infof("Cut off an upload arriving at %d bytes/s (floor %d bytes/s)", rate, floor);
                cutOff(
                        ctx,
                        Problem.of(
                                        ProblemType.UPLOAD_TOO_SLOW,
                                        "The upload arrived at " + rate
                                                + " bytes/s over the last "
                                                + upload.rateWindow().toSeconds() + " s, slower than the "
                                                + floor
                                                + " bytes/s the service accepts (UPLOAD_MIN_BYTES_PER_SECOND); it was cut off.")
                                .with("min_bytes_per_second", floor),
                        Optional.empty());
            }
        });
        ctx.addEndHandler(ignored -> vertx.cancelTimer(timer));
    }

    /** Answers with the problem if nothing was sent yet, and closes the connection in any case. */
    private void cutOff(RoutingContext ctx, Problem problem, Optional<Duration> retryAfter) {
        if (ctx.response().headWritten()
                || ctx.response().ended()
                || ctx.response().closed()) {
            ctx.request().connection().close();
            return;
        }
        refuse(ctx, problem, retryAfter, null);
    }

    private void refuse(RoutingContext ctx, Problem problem, Optional<Duration> retryAfter, String challenge) {
        RouteProblems.send(ctx, json, problem, retryAfter, challenge);
    }

    /** The client's address (the forwarded one when {@code quarkus.http.proxy.proxy-address-forwarding} is on). */
    static String address(RoutingContext ctx) {
        var remote = ctx.request().remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress() != null ? remote.hostAddress() : remote.host();
    }
}
