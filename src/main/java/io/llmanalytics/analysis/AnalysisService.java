package io.llmanalytics.analysis;

import io.llmanalytics.analyst.Analyst;
import io.llmanalytics.analyst.AnalystSelector;
import io.llmanalytics.analyst.GroundedInterpreter;
import io.llmanalytics.analyst.LlmConfig;
import io.llmanalytics.analyst.plan.Mode;
import io.llmanalytics.analyst.plan.ModeAnalysts;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.Sandbox;
import io.llmanalytics.sandbox.SandboxConfig;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.validation.CodeValidator;
import io.llmanalytics.verified.VerifiedLookup;
import io.llmanalytics.verified.VerifiedMetrics;
import io.llmanalytics.verified.VerifiedService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Answers questions about a session's data as a stream of {@link AnalysisEvent}s. Cancelling the stream (a client
 * that disconnects) cancels the step in flight: the model's HTTP call is reset, the worker's child killed.
 */
@ApplicationScoped
public class AnalysisService {

    /** What a run uses. */
    record Services(
            AnalysisMetrics metrics,
            CodeValidator validator,
            Sandbox sandbox,
            GroundedInterpreter interpreter,
            History history,
            ResultCache cache,
            int maxAttempts,
            Duration executionTimeout,
            VerifiedService verified,
            VerifiedMetrics verifiedMetrics,
            boolean timingsBreakdown) {}

    private final SessionService sessions;
    private final SessionStore store;
    private final AnalystSelector analysts;
    private final AnalysisConfig config;
    private final LlmConfig llm;
    private final Vertx vertx;
    private final StreamDrain drain;
    private final Services services;
    private final ModesConfig modes;
    private final ModeAnalysts modeAnalysts;

    public AnalysisService(
            SessionService sessions,
            SessionStore store,
            AnalystSelector analysts,
            CodeValidator validator,
            Sandbox sandbox,
            GroundedInterpreter interpreter,
            History history,
            ResultCache cache,
            AnalysisMetrics metrics,
            AnalysisConfig config,
            LlmConfig llm,
            SandboxConfig sandboxConfig,
            Vertx vertx,
            StreamDrain drain,
            ModesConfig modes,
            ModeAnalysts modeAnalysts,
            VerifiedService verified,
            VerifiedMetrics verifiedMetrics) {
        this.sessions = sessions;
        this.store = store;
        this.analysts = analysts;
        this.config = config;
        this.llm = llm;
        this.vertx = vertx;
        this.drain = drain;
        this.modes = modes;
        this.modeAnalysts = modeAnalysts;
        this.services = new Services(
                metrics,
                validator,
                sandbox,
                interpreter,
                history,
                cache,
                llm.maxAttempts(),
                sandboxConfig.timeout(),
                verified,
                verifiedMetrics,
                config.timingsBreakdown());
    }

    /** A question that passed the checks that need no I/O, and the analyst picked to answer it. */
    public record CheckedQuestion(String question, Analyst analyst) {}

    /**
     * The checks made before any stream starts: a valid question (400), an analyst that can answer (503), an existing
     * session (404).
     */
    public Uni<PreparedAnalysis> prepare(String sessionId, String question, Boolean privacy) {
        CheckedQuestion checked;
        try {
            checked = check(question);
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
        return prepare(sessionId, checked, privacy);
    }

    /** The analysis of a checked question on the session {@code sessionId} (404 when there is none). */
    public Uni<PreparedAnalysis> prepare(String sessionId, CheckedQuestion checked, Boolean privacy) {
        return sessions.find(sessionId).chain(session -> prepare(session, checked, privacy));
    }

    /**
     * The analysis of a checked question on a session already read: reads the session's newest interactions, the
     * follow-up's context, and starts looking its verified answers for the question up at the same time. Only the
     * former is awaited here: the run awaits the lookup after its first event, so that the time to the first event is
     * one round trip, as it was before the lookup moved here.
     */
    public Uni<PreparedAnalysis> prepare(SessionDocument session, CheckedQuestion checked, Boolean privacy) {
        boolean private_ = privacy != null ? privacy : llm.privacyMode();
        return Uni.createFrom().deferred(() -> {
            Uni<VerifiedLookup> lookup = services.verified()
                    .lookup(session, checked.question())
                    .memoize()
                    .indefinitely();
            lookup.subscribe().with(ignored -> {}, ignored -> {}); // started now; the run awaits it (never fails)
            return store.recentInteractions(session, config.maxHistory())
                    .map(recent -> new PreparedAnalysis(
                            session, checked.question(), private_, checked.analyst(), recent, lookup));
        });
    }

    /**
     * The checks that need no I/O, thrown at once: a question of 1 to {@code max-question-length} characters after
     * trimming (400), an analyst that can answer (503), and an instance that is not shutting down (503). Returns the
     * trimmed question and the analyst picked (once) to answer it.
     */
    public CheckedQuestion check(String question) {
        drain.refuseIfDraining();
        String trimmed = question == null ? "" : question.strip();
        if (trimmed.isEmpty() || trimmed.length() > config.maxQuestionLength()) {
            throw new ProblemException(
                    ProblemType.VALIDATION_FAILED,
                    "question must be 1 to " + config.maxQuestionLength() + " characters after trimming (it has "
                            + trimmed.length() + ").");
        }
        return new CheckedQuestion(trimmed, analysts.active());
    }

    /**
     * The analysis as events, ending with one {@code done} or {@code error}; comment heartbeats in between. A stream
     * still open when the drain ends it (shutdown) ends with a {@code shutting-down} error event.
     */
    public Multi<AnalysisEvent> stream(PreparedAnalysis prepared) {
        return stream(prepared, () -> Uni.createFrom().voidItem());
    }

    /**
     * The analysis as events, as {@link #stream(PreparedAnalysis)}; {@code beforeEnd} (the caller's concurrent-stream
     * slot) is given back, and awaited, before the terminal event is emitted, so that a client that has read
     * {@code done} or {@code error} may ask again at once. It must complete (bounded, never failing).
     */
    public Multi<AnalysisEvent> stream(PreparedAnalysis prepared, Supplier<Uni<Void>> beforeEnd) {
        return stream(Uni.createFrom().item(prepared), beforeEnd);
    }

    /**
     * The analysis as events, as {@link #stream(PreparedAnalysis, Supplier)}, once {@code prepare} (the reads it
     * needs: the session's newest interactions) has its item. Preparing is part of the stream, so a store that fails
     * it ends the stream with an {@code error} event too: an SSE response's 200 may already be sent by then, and a
     * stream that failed before its first event would otherwise reach the client as an empty 200.
     */
    public Multi<AnalysisEvent> stream(Uni<PreparedAnalysis> prepare, Supplier<Uni<Void>> beforeEnd) {
        return stream(
                prepare,
                beforeEnd,
                (prepared, emit, subscribed) ->
                        new AnalysisRun(services, prepared, emit, subscribed).run(config.timeout()));
    }

    /**
     * The analysis in {@code mode}: as {@link #stream(Uni, Supplier)} for {@link Mode#ANSWER}; for the other modes a
     * plan, its steps and a report ({@link ModeRun}), bounded by the budgets of {@code analysis.modes}.
     */
    public Multi<AnalysisEvent> stream(Uni<PreparedAnalysis> prepare, Mode mode, Supplier<Uni<Void>> beforeEnd) {
        if (mode == null || mode == Mode.ANSWER) {
            return stream(prepare, beforeEnd);
        }
        return stream(
                prepare,
                beforeEnd,
                (prepared, emit, subscribed) ->
                        new ModeRun(services, modes, prepared, mode, modeAnalysts.of(prepared.analyst()), emit).run());
    }

    /** The mode named {@code label} ({@code answer} when null); 400 naming the modes when there is none. */
    public static Mode mode(String label) {
        return Mode.parse(label)
                .orElseThrow(() -> new ProblemException(Problem.of(
                                ProblemType.VALIDATION_FAILED,
                                "mode must be one of " + String.join(", ", Mode.labels()) + " (it is \""
                                        + (label.length() > 40 ? label.substring(0, 40) + "…" : label) + "\").")
                        .with("modes", Mode.labels())));
    }

    private Multi<AnalysisEvent> stream(Uni<PreparedAnalysis> prepare, Supplier<Uni<Void>> beforeEnd, Runner runner) {
        return Multi.createFrom().emitter(emitter -> {
            long subscribed = System.nanoTime();
            Gate gate = new Gate(emitter, beforeEnd);
            long heartbeat =
                    vertx.setPeriodic(config.heartbeat().toMillis(), id -> gate.emit(new AnalysisEvent.Heartbeat()));
            AtomicReference<Cancellable> running = new AtomicReference<>();
            Runnable deregister = drain.register(error -> {
                if (gate.emit(error)) {
                    vertx.cancelTimer(heartbeat);
                    cancel(running);
                    gate.afterTerminal(emitter::complete);
                }
            });
            emitter.onTermination(() -> {
                vertx.cancelTimer(heartbeat);
                deregister.run();
                cancel(running);
            });
            // Every stream that started ends with done or error: a run that fails (or ends) without its terminal
            // event, even by throwing before its first stage, becomes an error event, never a silently closed 200.
            Runnable end = () -> {
                vertx.cancelTimer(heartbeat);
                gate.afterTerminal(emitter::complete);
            };
            running.set(prepare.chain(prepared -> runner.run(prepared, gate::emit, subscribed))
                    .subscribe()
                    .with(
                            done -> {
                                if (!gate.ended()) {
                                    gate.emit(unexpectedEnd(null));
                                }
                                end.run();
                            },
                            failure -> {
                                if (!gate.ended()) {
                                    gate.emit(unexpectedEnd(failure));
                                }
                                end.run();
                            }));
            if (gate.ended()) {
                cancel(running); // ended (drained or cancelled) before the run started
            }
        });
    }

    /** Starts a run of a prepared analysis; {@code subscribed} is when its stream was subscribed (nano time). */
    @FunctionalInterface
    private interface Runner {
        Uni<Void> run(PreparedAnalysis prepared, Consumer<AnalysisEvent> emit, long subscribed);
    }

    /**
     * The error event of a run that ended without its own terminal event (passed on only when none was sent): the
     * failure's problem when it carries one, else an internal error that names no internals.
     */
    static AnalysisEvent.Error unexpectedEnd(Throwable failure) {
        ProblemException known = failure == null ? null : ProblemFailures.find(failure);
        Problem problem = known != null
                ? known.problem()
                : Problem.of(ProblemType.INTERNAL, "The analysis ended without an answer; the error has been logged.");
        if (known == null) {
            Log.errorf(failure, "An analysis stream ended without its terminal event");
        }
        return new AnalysisEvent.Error(
                problem.type(), problem.title(), problem.status(), problem.detail(), null, problem.extensions());
    }

    private static void cancel(AtomicReference<Cancellable> running) {
        Cancellable c = running.get();
        if (c != null) {
            c.cancel();
        }
    }

    /**
     * Passes a stream's events on in order until the first terminal one, and drops everything after it. The terminal
     * event is passed on once {@code beforeEnd} has completed (the stream slot given back).
     */
    private static final class Gate {

        private final MultiEmitter<? super AnalysisEvent> emitter;
        private final Supplier<Uni<Void>> beforeEnd;
        private boolean ended;
        private Uni<Void> terminalSent;

        Gate(MultiEmitter<? super AnalysisEvent> emitter, Supplier<Uni<Void>> beforeEnd) {
            this.emitter = emitter;
            this.beforeEnd = beforeEnd;
        }

        synchronized boolean ended() {
            return ended;
        }

        /** Whether {@code event} was passed on (a terminal one: will be, once {@code beforeEnd} completed). */
        synchronized boolean emit(AnalysisEvent event) {
            if (ended) {
                return false;
            }
            ended = event.terminal();
            if (!ended) {
                emitter.emit(event);
                return true;
            }
            Uni<Void> before;
            try {
                before = beforeEnd.get();
            } catch (RuntimeException e) {
                before = Uni.createFrom().voidItem();
            }
            terminalSent = before.onFailure()
                    .recoverWithItem((Void) null)
                    .invoke(() -> emitter.emit(event))
                    .memoize()
                    .indefinitely();
            terminalSent.subscribe().with(v -> {});
            return true;
        }

        /** Runs {@code then} once the terminal event was passed on (at once when none is pending). */
        void afterTerminal(Runnable then) {
            Uni<Void> sent;
            synchronized (this) {
                sent = terminalSent;
            }
            if (sent == null) {
                then.run();
            } else {
                sent.subscribe().with(v -> then.run());
            }
        }
    }
}
