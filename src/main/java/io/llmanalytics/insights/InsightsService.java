package io.llmanalytics.insights;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.ExecutionResult;
import io.llmanalytics.sandbox.Outcome;
import io.llmanalytics.sandbox.Sandbox;
import io.llmanalytics.sandbox.SandboxConfig;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.session.StoredInsights;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Automatic insights: computed by the worker ({@link Sandbox#insights}) in the background right after upload, stored
 * in the session document ({@code insights: {status, computed_at, insights, detail}}) and read from there. A session
 * without stored insights (created before, or whose computation was lost in a restart) gets them computed on its
 * first request, which answers {@code pending} meanwhile.
 *
 * <p>What the data or the code caused (a dataset that cannot be loaded, the deadline) is stored as {@code failed};
 * what the service caused (worker busy or restarting, store unavailable) is reported as {@code failed} for
 * {@code insights.retry-after} and then tried again.
 *
 * <p>Runs once across instances: whoever computes first claims the session in the store ({@code insights_claim:
 * {token, until, detail?}}, set only where no insights and no live claim exist), and the result is saved only while
 * that claim is still the session's (a refresh drops it, so a computation of the old datasets saves nothing). A claim
 * outlives the longest computation ({@link #claimMillis}); an instance that dies while computing leaves a claim that
 * another takes over once it ended. A transient failure turns the claim into the {@code failed} answer until
 * {@code insights.retry-after}. Nothing about insights is kept in memory.
 */
@ApplicationScoped
public class InsightsService {

    private static final Set<ProblemType> TRANSIENT = Set.of(
            ProblemType.WORKER_BUSY,
            ProblemType.WORKER_UNAVAILABLE,
            ProblemType.STORE_UNAVAILABLE,
            ProblemType.TIMEOUT,
            ProblemType.SHUTTING_DOWN);
    private static final TypeReference<List<Insight>> INSIGHTS = new TypeReference<>() {};

    private final Sandbox sandbox;
    private final SessionService sessions;
    private final SessionStore store;
    private final InsightsConfig config;
    private final SandboxConfig sandboxConfig;
    private final ObjectMapper json;

    public InsightsService(
            Sandbox sandbox,
            SessionService sessions,
            SessionStore store,
            InsightsConfig config,
            SandboxConfig sandboxConfig,
            ObjectMapper json) {
        this.sandbox = sandbox;
        this.sessions = sessions;
        this.store = store;
        this.config = config;
        this.sandboxConfig = sandboxConfig;
        this.json = json;
    }

    /** The session's insights; 404 problem for an unknown session. Starts computing them when none are stored. */
    public Uni<SessionInsights> of(String sessionId) {
        return sessions.find(sessionId)
                .chain(session -> stored(session.id).map(found -> {
                    if (found != null) {
                        return found;
                    }
                    start(session);
                    return SessionInsights.pending(session.id);
                }));
    }

    /**
     * Starts computing the session's insights in the background, unless they are stored, or being computed (here or
     * on another instance), or failed for the service's reasons less than {@code insights.retry-after} ago.
     */
    public void start(SessionDocument session) {
        String id = session.id;
        String token = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        claim(id, token, now)
                .chain(claimed -> !claimed
                        ? Uni.createFrom().<SessionInsights>nullItem()
                        : compute(session)
                                .chain(insights -> save(insights, token))
                                .onFailure()
                                .call(e -> failed(id, token, e)))
                .subscribe()
                .with(
                        saved -> {
                            if (saved != null) {
                                Log.debugf("Insights of session %s: %s", id, saved.status());
                            }
                        },
                        e -> Log.debugf("Insights of session %s not started: %s", id, e.getMessage()));
    }

    /** Claims the session's computation in the store: true when this call won it. */
    private Uni<Boolean> claim(String id, String token, long now) {
        return store.claimInsights(id, token, now, now + claimMillis());
    }

    /**
     * The longest a computation may hold its claim: queueing for the worker and two runs of at most the sandbox
     * deadline each, with room to spare.
     */
    long claimMillis() {
        return 3 * sandboxConfig.timeout().toMillis() + 60_000;
    }

    /** Records a failure of the service in the claim, as the answer until it is tried again. */
    private Uni<Void> failed(String id, String token, Throwable e) {
        ProblemException problem = ProblemFailures.find(e);
        String detail = problem != null ? problem.problem().detail() : "the insights could not be computed";
        // the reason can quote the data: only its kind at INFO
        Log.infof(
                "Insights of session %s not computed (%s); they are tried again later",
                id, problem != null ? problem.type().title() : e.getClass().getSimpleName());
        Log.debugf("Insights of session %s not computed: %s", id, e.getMessage());
        long until = System.currentTimeMillis() + config.retryAfter().toMillis();
        return store.updateInsightsClaim(id, new StoredInsights.Claim(token, until, detail))
                .onFailure()
                .recoverWithNull();
    }

    /**
     * Drops the session's stored insights and computes them again (for a session whose datasets changed); the
     * session as given must hold its new datasets.
     */
    public Uni<Void> refresh(SessionDocument session) {
        return store.clearInsights(session.id).invoke(() -> start(session));
    }

    /** Runs the worker's insights; a failure of the service fails the Uni, anything else gives a stored outcome. */
    private Uni<SessionInsights> compute(SessionDocument session) {
        List<DatasetSource> sources =
                session.datasets.stream().map(DatasetDocument::source).toList();
        return sandbox.insights(session.id, sources, options(1))
                .chain(result -> result.outcome() == Outcome.TIMEOUT || result.outcome() == Outcome.KILLED
                        // a table where one step alone outlasted the deadline: once more, leaving the slow steps out
                        ? sandbox.insights(session.id, sources, options(4))
                        : Uni.createFrom().item(result))
                .map(result -> outcome(session.id, result))
                .onFailure(e -> {
                    ProblemException problem = ProblemFailures.find(e);
                    return problem != null && !TRANSIENT.contains(problem.type());
                })
                .recoverWithItem(e -> SessionInsights.failed(
                        session.id, ProblemFailures.find(e).problem().detail()));
    }

    SessionInsights outcome(String sessionId, ExecutionResult result) {
        if (!result.succeeded()) {
            String detail = result.error() == null
                    ? result.outcome().name().toLowerCase()
                    : result.error().message();
            return SessionInsights.failed(sessionId, "the insights could not be computed: " + detail);
        }
        JsonNode body = result.result();
        if (body == null || !body.path("insights").isArray()) {
            return SessionInsights.failed(sessionId, "the worker returned no insights");
        }
        if (!body.path("skipped").isEmpty()) {
            Log.debugf("Insights of session %s skipped %s", sessionId, body.path("skipped"));
        }
        List<Insight> insights = json.convertValue(body.path("insights"), INSIGHTS);
        return new SessionInsights(sessionId, SessionInsights.READY, insights, null);
    }

    /** The worker's options; its time budget divided by {@code divisor}. */
    Map<String, Object> options(int divisor) {
        long deadline = sandboxConfig.timeout().toMillis();
        long budget = Math.max(0, Math.min(config.budget().toMillis(), deadline * 7 / 10)) / divisor;
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("max_insights", config.maxInsights());
        options.put("missing_share", config.missingShare());
        options.put("min_correlation", config.minCorrelation());
        options.put("min_skew", config.minSkew());
        options.put("dominant_share", config.dominantShare());
        options.put("budget_ms", budget);
        return options;
    }

    /** Stores the insights if the claim {@code token} is still the session's (no refresh came meanwhile). */
    private Uni<SessionInsights> save(SessionInsights insights, String token) {
        StoredInsights stored = new StoredInsights(
                insights.status(),
                Instant.now().toString(),
                json.convertValue(insights.insights(), List.class),
                insights.detail());
        return store.saveInsights(insights.sessionId(), token, stored).map(saved -> {
            if (!saved) {
                Log.debugf("Insights of session %s discarded: its datasets changed meanwhile", insights.sessionId());
                return null;
            }
            return insights;
        });
    }

    private Uni<SessionInsights> stored(String sessionId) {
        return store.insights(sessionId)
                .map(found -> found.map(state -> readOrClaim(sessionId, state)).orElse(null));
    }

    /** The stored insights; else what a live claim says (pending, or failed until it is tried again); else null. */
    private SessionInsights readOrClaim(String sessionId, StoredInsights.State state) {
        SessionInsights found = read(sessionId, state.insights());
        if (found != null) {
            return found;
        }
        StoredInsights.Claim claim = state.claim();
        if (claim == null || claim.until() == null || claim.until() < System.currentTimeMillis()) {
            return null;
        }
        return claim.detail() == null
                ? SessionInsights.pending(sessionId)
                : SessionInsights.failed(sessionId, claim.detail());
    }

    private SessionInsights read(String sessionId, StoredInsights stored) {
        if (stored == null) {
            return null;
        }
        List<Insight> insights;
        try {
            insights = stored.insights() == null ? List.of() : json.convertValue(stored.insights(), INSIGHTS);
        } catch (IllegalArgumentException e) {
            Log.warnf("Stored insights of session %s are unreadable; computing them again", sessionId);
            return null;
        }
        return new SessionInsights(sessionId, stored.status(), insights, stored.detail());
    }
}
