package io.llmanalytics.dashboard;

import io.llmanalytics.analysis.ResultCache;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.ExecutionResult;
import io.llmanalytics.sandbox.Outcome;
import io.llmanalytics.sandbox.Sandbox;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDeleted;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.session.StoredInteraction;
import io.llmanalytics.validation.CodeValidator;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A session's dashboard: answers pinned by their code, re-run on the session's current datasets through the same
 * path as an analysis (the validator first, then the sandbox; never unvalidated code), one after the other. A card is
 * kept until a dataset of the session changes ({@link DashboardCache}); a pin whose code now fails shows its error in
 * its card.
 */
@ApplicationScoped
public class DashboardService {

    private static final Duration WORKER_RETRY_DELAY = Duration.ofMillis(200);

    private final SessionService sessions;
    private final SessionStore store;
    private final PinStore pins;
    private final CodeValidator validator;
    private final Sandbox sandbox;
    private final DashboardCache cache;
    private final DashboardConfig config;

    public DashboardService(
            SessionService sessions,
            SessionStore store,
            PinStore pins,
            CodeValidator validator,
            Sandbox sandbox,
            DashboardCache cache,
            DashboardConfig config) {
        this.sessions = sessions;
        this.store = store;
        this.pins = pins;
        this.validator = validator;
        this.sandbox = sandbox;
        this.cache = cache;
        this.config = config;
    }

    /**
     * Pins the answer {@code interactionId} of a session: 404 for an unknown interaction, 422 for one that did not run
     * code (failed, declined), 409 when it is pinned already or the dashboard is full.
     */
    public Uni<Pin> pin(String sessionId, String interactionId) {
        if (interactionId == null || interactionId.isBlank()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.BAD_REQUEST,
                            "Send the answer to pin as {\"interaction_id\": \"...\"} (the id of a history entry)."));
        }
        return sessions.find(sessionId)
                .chain(session -> store.interaction(session.id, interactionId).chain(found -> {
                    StoredInteraction answer = found.orElseThrow(() -> new ProblemException(
                            ProblemType.NOT_FOUND,
                            "This session has no interaction with id '" + shortened(interactionId) + "'."));
                    if (!answer.answered()) {
                        throw new ProblemException(
                                ProblemType.UNPROCESSABLE,
                                "Only answers computed by code can be pinned; this interaction has none (it"
                                        + " failed or was not answered).");
                    }
                    return pins.list(session.id).chain(existing -> add(session, answer, existing));
                }));
    }

    private Uni<Pin> add(SessionDocument session, StoredInteraction answer, List<Pin> existing) {
        for (Pin p : existing) {
            if (p.interactionId().equals(answer.conversationId())) {
                throw new ProblemException(
                        Problem.of(ProblemType.CONFLICT, "This answer is pinned already (pin '" + p.id() + "').")
                                .with("pin_id", p.id()));
            }
        }
        if (existing.size() >= config.maxPins()) {
            throw new ProblemException(Problem.of(
                            ProblemType.CONFLICT,
                            "The dashboard holds " + existing.size() + " pins, the most it may (DASHBOARD_MAX_PINS);"
                                    + " remove one first.")
                    .with("max_pins", config.maxPins()));
        }
        int position = existing.stream().mapToInt(Pin::position).max().orElse(-1) + 1;
        Pin pin = new Pin(
                UUID.randomUUID().toString(),
                session.id,
                answer.conversationId(),
                answer.question(),
                answer.generatedCode(),
                position,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return pins.insert(pin).replaceWith(pin);
    }

    /** The pins of a session, in order (404 for an unknown session). */
    public Uni<List<Pin>> pins(String sessionId) {
        return sessions.find(sessionId).chain(session -> pins.list(session.id));
    }

    /** Removes a pin: 404 when the session has none of this id. */
    public Uni<Void> unpin(String sessionId, String pinId) {
        return sessions.find(sessionId)
                .chain(session -> pins.delete(session.id, pinId))
                .map(deleted -> {
                    if (!deleted) {
                        throw new ProblemException(
                                ProblemType.NOT_FOUND, "This dashboard has no pin with id '" + shortened(pinId) + "'.");
                    }
                    cache.forget(pinId);
                    return null;
                });
    }

    /** Orders the pins as {@code pinIds}, which must list each pin of the dashboard exactly once (400 otherwise). */
    public Uni<List<Pin>> reorder(String sessionId, List<String> pinIds) {
        return sessions.find(sessionId)
                .chain(session -> pins.list(session.id).chain(existing -> {
                    Set<String> current = new HashSet<>();
                    existing.forEach(p -> current.add(p.id()));
                    if (pinIds == null
                            || pinIds.size() != current.size()
                            || new HashSet<>(pinIds).size() != pinIds.size()
                            || !current.containsAll(pinIds)) {
                        throw new ProblemException(Problem.of(
                                        ProblemType.BAD_REQUEST,
                                        "pin_ids must list each of the dashboard's " + current.size()
                                                + " pins exactly once, in the new order (GET the pins for their ids).")
                                .with("pin_ids", existing.stream().map(Pin::id).toList()));
                    }
                    return pins.reorder(session.id, pinIds).chain(() -> pins.list(session.id));
                }));
    }

    /**
     * Every pin's card, computed on the current datasets (or kept from before when they did not change), in pin order.
     * Cards are computed {@link DashboardConfig#concurrency()} at a time within {@link DashboardConfig#deadline()}; a
     * card not computed by then says so.
     */
    public Uni<List<DashboardItem>> dashboard(String sessionId) {
        return sessions.find(sessionId)
                .chain(session -> pins.list(session.id).chain(list -> {
                    List<DatasetSource> sources = session.datasets.stream()
                            .map(DatasetDocument::source)
                            .toList();
                    Instant deadline = Instant.now().plus(config.deadline());
                    return Multi.createFrom()
                            .iterable(list)
                            .onItem()
                            .transformToUni(pin -> card(session.id, sources, pin, deadline))
                            .merge(Math.max(1, config.concurrency()))
                            .collect()
                            .asList()
                            .map(cards -> {
                                List<String> order = list.stream().map(Pin::id).toList();
                                return cards.stream()
                                        .sorted(Comparator.comparingInt(card -> order.indexOf(card.pinId())))
                                        .toList();
                            });
                }));
    }

    private Uni<DashboardItem> card(String sessionId, List<DatasetSource> sources, Pin pin, Instant deadline) {
        String key = pin.id() + "/" + ResultCache.key(sources, pin.code());
        return cache.get(key)
                .map(hit -> Uni.createFrom().item(hit.at(pin)))
                .orElseGet(() -> Uni.createFrom()
                        .deferred(() -> compute(sessionId, sources, pin)
                                .ifNoItem()
                                .after(remaining(deadline))
                                .recoverWithItem(() -> new Computed(
                                        failed(
                                                pin,
                                                "unavailable",
                                                "The dashboard's time (DASHBOARD_DEADLINE="
                                                        + config.deadline().toSeconds()
                                                        + " s) ran out before this card was computed. Load the"
                                                        + " dashboard again."),
                                        false)))
                        .invoke(computed -> {
                            if (computed.kept()) {
                                cache.put(key, computed.item());
                            }
                        })
                        .map(Computed::item));
    }

    /** The time left until {@code deadline}, at least a millisecond (a card that starts after it ends at once). */
    private static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    }

    /** A card and whether it may be kept: not when the worker could not run the code now. */
    private record Computed(DashboardItem item, boolean kept) {}

    private Uni<Computed> compute(String sessionId, List<DatasetSource> sources, Pin pin) {
        return validator
                .validate(pin.code())
                .chain(verdict -> {
                    if (!verdict.ok()) {
                        return Uni.createFrom()
                                .item(new Computed(
                                        failed(pin, "validation", "The code is refused: " + verdict.feedback()), true));
                    }
                    return sandbox.execute(sessionId, sources, pin.code())
                            .onFailure(DashboardService::workerLost)
                            .retry()
                            .withBackOff(WORKER_RETRY_DELAY)
                            .atMost(1)
                            .map(result -> executed(pin, result));
                })
                .onFailure()
                .recoverWithItem(e -> {
                    ProblemException known = ProblemFailures.find(e);
                    if (known == null) {
                        Log.warnf(e, "Dashboard card of pin %s not computed", pin.id());
                    }
                    String why = known != null ? known.problem().detail() : "the card could not be computed now";
                    return new Computed(failed(pin, "unavailable", why + " Load the dashboard again later."), false);
                });
    }

    private static Computed executed(Pin pin, ExecutionResult r) {
        if (r.succeeded()) {
            List<DashboardItem.Card> charts = r.charts().stream()
                    .map(c -> new DashboardItem.Card(
                            "image/" + c.format(), c.width(), c.height(), c.data(), c.plot(), c.spec()))
                    .toList();
            return new Computed(
                    new DashboardItem(
                            pin.id(),
                            pin.interactionId(),
                            pin.question(),
                            pin.position(),
                            r.result(),
                            r.resultTruncated() ? Boolean.TRUE : null,
                            charts,
                            Instant.now(),
                            null),
                    true);
        }
        String message = r.error() == null
                ? "the code ended with " + r.outcome().name().toLowerCase()
                : r.error().type() + ": " + r.error().message();
        // an error raised by the code is a property of the code and the data; a deadline or a kill may be the load
        return new Computed(failed(pin, "execution", message), r.outcome() == Outcome.ERROR);
    }

    private static DashboardItem failed(Pin pin, String kind, String message) {
        return new DashboardItem(
                pin.id(),
                pin.interactionId(),
                pin.question(),
                pin.position(),
                null,
                null,
                List.of(),
                Instant.now(),
                new DashboardItem.Failure(kind, message));
    }

    private static boolean workerLost(Throwable e) {
        return e instanceof ProblemException p && p.type() == ProblemType.WORKER_UNAVAILABLE;
    }

    void sessionDeleted(@Observes SessionDeleted event) {
        pins.deleteSession(event.sessionId())
                .subscribe()
                .with(
                        n -> Log.debugf("Deleted %d pins of session %s", n, event.sessionId()),
                        e -> Log.warnf(
                                "Pins of deleted session %s not removed: %s", event.sessionId(), e.getMessage()));
    }

    private static String shortened(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
