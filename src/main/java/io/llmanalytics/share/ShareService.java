package io.llmanalytics.share;

import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.SessionDeleted;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Read-only share links: created and revoked by the session's owner, opened by anyone holding the token. An unknown,
 * expired or revoked token is the same 404 ({@link #NOT_FOUND}); the token is never logged, stored or listed.
 */
@ApplicationScoped
public class ShareService {

    /** The one answer for a token that opens nothing. */
    public static final String NOT_FOUND =
            "No shared session at this link: it is unknown, has expired or was revoked. Ask the owner for a new link.";

    /** A link created: the token is shown this once. */
    public record Created(StoredShare share, String token) {}

    /** What a live token opens: the session and the link. */
    public record Opened(SessionDocument session, StoredShare share) {}

    private final ShareStore store;
    private final SessionService sessions;
    private final ShareConfig config;
    private final Clock clock;

    @Inject
    public ShareService(ShareStore store, SessionService sessions, ShareConfig config) {
        this(store, sessions, config, Clock.systemUTC());
    }

    ShareService(ShareStore store, SessionService sessions, ShareConfig config, Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A new link to the session {@code sessionId}, living {@code expiresIn} (an ISO-8601 duration; the default when
     * null). 400 for a duration that is malformed, not positive or longer than {@code shares.max-expiry}; 409 when
     * the session has {@code shares.max-per-session} live links.
     */
    public Uni<Created> create(String sessionId, String expiresIn) {
        Duration lifetime;
        try {
            lifetime = lifetime(expiresIn);
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
        return sessions.find(sessionId)
                .call(session -> store.sweep(clock.instant().minus(ShareStore.KEEP_EXPIRED)))
                .chain(session -> store.list(session.id).chain(existing -> {
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    long live = existing.stream().filter(s -> s.liveAt(now)).count();
                    if (live >= config.maxPerSession()) {
                        throw new ProblemException(Problem.of(
                                        ProblemType.CONFLICT,
                                        "This session already has " + live + " live share links, the most it may have"
                                                + " (SHARE_MAX_PER_SESSION); revoke one first.")
                                .with("max_links", config.maxPerSession()));
                    }
                    String token = ShareTokens.newToken();
                    StoredShare share = new StoredShare(
                            UUID.randomUUID().toString(), session.id, ShareTokens.hash(token), now, now.plus(lifetime));
                    return store.insert(share).replaceWith(new Created(share, token));
                }));
    }

    /** The links of a session (404 for an unknown session). */
    public Uni<List<StoredShare>> list(String sessionId) {
        return sessions.find(sessionId).chain(session -> store.list(session.id));
    }

    /** Revokes a link: 404 when the session has no link with this id. */
    public Uni<Void> revoke(String sessionId, String shareId) {
        return sessions.find(sessionId)
                .chain(session -> store.delete(session.id, shareId))
                .map(deleted -> {
                    if (!deleted) {
                        throw new ProblemException(
                                ProblemType.NOT_FOUND,
                                "This session has no share link with id '" + shortened(shareId)
                                        + "'; GET the session's shares for their ids.");
                    }
                    return null;
                });
    }

    /** The session a token opens, or the 404 of {@link #NOT_FOUND}: unknown, expired, revoked or deleted alike. */
    public Uni<Opened> open(String token) {
        if (!ShareTokens.plausible(token)) {
            return Uni.createFrom().failure(notFound());
        }
        String hash = ShareTokens.hash(token);
        return store.byHash(hash).chain(found -> {
            if (found.isEmpty()
                    || !ShareTokens.sameHash(found.get().tokenHash(), hash)
                    || !found.get().liveAt(clock.instant())) {
                return Uni.createFrom().failure(notFound());
            }
            return sessions.find(found.get().sessionId())
                    .onFailure(e -> e instanceof ProblemException p && p.type() == ProblemType.NOT_FOUND)
                    .transform(e -> notFound())
                    .map(session -> new Opened(session, found.get()));
        });
    }

    static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, NOT_FOUND);
    }

    /** The lifetime asked for, checked against the bounds. */
    Duration lifetime(String expiresIn) {
        if (expiresIn == null || expiresIn.isBlank()) {
            return config.defaultExpiry();
        }
        Duration asked;
        try {
            asked = Duration.parse(expiresIn.strip());
        } catch (DateTimeParseException e) {
            throw badExpiry("expires_in '" + shortened(expiresIn)
                    + "' is not an ISO-8601 duration; send one such as \"P7D\" (7 days) or \"PT12H\" (12 hours).");
        }
        if (asked.isNegative() || asked.isZero()) {
            throw badExpiry("expires_in must be a positive duration such as \"P7D\"; it was " + asked + ".");
        }
        if (asked.compareTo(config.maxExpiry()) > 0) {
            throw badExpiry("expires_in " + iso(asked) + " is longer than the longest a link may live, "
                    + iso(config.maxExpiry()) + " (SHARE_MAX_EXPIRY).");
        }
        return asked;
    }

    private ProblemException badExpiry(String detail) {
        return new ProblemException(
                Problem.of(ProblemType.BAD_REQUEST, detail).with("max_expires_in", iso(config.maxExpiry())));
    }

    /** A duration as ISO-8601, in days when it is whole days ({@code P30D} rather than {@code PT720H}). */
    static String iso(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.getNano() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    void sessionDeleted(@Observes SessionDeleted event) {
        store.deleteSession(event.sessionId())
                .subscribe()
                .with(
                        n -> Log.debugf("Deleted %d share links of session %s", n, event.sessionId()),
                        e -> Log.warnf(
                                "Share links of deleted session %s not removed: %s",
                                event.sessionId(), e.getMessage()));
    }

    private static String shortened(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
