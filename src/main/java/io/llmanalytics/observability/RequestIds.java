package io.llmanalytics.observability;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Gives every HTTP request a correlation id: the caller's {@code X-Request-Id} when it looks like an id (1 to 128
 * letters, digits, {@code . _ : -}), a new UUID otherwise. The id is echoed in the {@code X-Request-Id} response
 * header, kept in the logging MDC as {@code request_id} (JSON logs show it under {@code mdc}) for everything logged
 * while the request is handled on its Vert.x context, and problem documents carry it as {@code request_id}.
 */
@ApplicationScoped
public class RequestIds {

    /** The request and response header. */
    public static final String HEADER = "X-Request-Id";
    /** The MDC key, and the member name in problem documents. */
    public static final String KEY = "request_id";

    static final int PRIORITY = 1_000_000;
    private static final String CONTEXT_KEY = "llm-analytics.request-id";
    private static final String RECEIVED_KEY = "llm-analytics.received-nanos";
    private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void register(@Observes Filters filters) {
        filters.register(
                ctx -> {
                    of(ctx);
                    ctx.next();
                },
                PRIORITY);
    }

    /**
     * The id of the request {@code ctx} handles, assigned on the first call: routes that run before the filters (the
     * early upload-size check) call it themselves.
     */
    public static String of(RoutingContext ctx) {
        String id = ctx.get(CONTEXT_KEY);
        if (id != null) {
            return id;
        }
        String given = ctx.request().getHeader(HEADER);
        id = given != null && PLAUSIBLE.matcher(given).matches()
                ? given
                : UUID.randomUUID().toString();
        ctx.put(CONTEXT_KEY, id);
        ctx.put(RECEIVED_KEY, System.nanoTime());
        ctx.request().headers().set(HEADER, id);
        ctx.response().putHeader(HEADER, id);
        MDC.put(KEY, id);
        return id;
    }

    /** When the request {@code ctx} handles was first seen by the filters ({@link System#nanoTime}); 0 if not. */
    public static long receivedNanos(RoutingContext ctx) {
        Long received = ctx.get(RECEIVED_KEY);
        return received == null ? 0L : received;
    }
}
