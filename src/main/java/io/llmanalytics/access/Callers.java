package io.llmanalytics.access;

import io.vertx.ext.web.RoutingContext;

/** The caller of a request, as {@link AccessGate} found it. */
public final class Callers {

    static final String KEY = "llm-analytics.caller";

    private Callers() {}

    /**
     * The caller of the request {@code ctx} handles. Every {@code /api} request passed the gate, which recorded it;
     * anything else counts as the client address, without a key.
     */
    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(KEY);
        return caller != null ? caller : new Caller(AccessGate.address(ctx), false);
    }
}
