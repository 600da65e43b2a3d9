package io.llmanalytics.analysis;

import io.llmanalytics.analyst.Clarification;
import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.Generation;
import io.llmanalytics.analyst.InterpretationEvent;
import io.llmanalytics.analyst.InterpretationRequest;
import io.llmanalytics.analyst.PreviousAttempt;
import io.llmanalytics.analyst.ResultSummary;
import io.llmanalytics.analyst.TokenUsage;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.dictionary.Dictionaries;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.ExecutionResult;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.validation.Verdict;
import io.llmanalytics.verified.VerifiedAnswer;
import io.llmanalytics.verified.VerifiedLookup;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One question answered: code generation, validation and execution, repeated with the failure as feedback up to the
 * configured number of attempts, then the grounded interpretation. Every step is streamed; the interaction is stored
 * in the history before the terminal event, so an answer the client saw is never lost. The returned Uni never fails:
 * failures end the stream with an {@code error} event.
 */
final class AnalysisRun {

    private static final Duration WORKER_RETRY_DELAY = Duration.ofMillis(300);
    private static final int MAX_READING = 300;

    private final AnalysisService.Services services;
    private final PreparedAnalysis prepared;
    private final Consumer<AnalysisEvent> emit;
    private final List<DatasetSource> sources;
    private final List<Answer.Attempt> attempts = new ArrayList<>();
    private final String conversationId = UUID.randomUUID().toString();
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    private final Map<String, Long> stageNanos = new ConcurrentHashMap<>();
    private TokenUsage usage = TokenUsage.NONE;
    private String model;
    private String lastCode;
    /** The verified answer whose code this run reused, or null. */
    private String reusedVerified;
    /** Whether the next execution must run (not come from the result cache): the reused verified code's. */
    private boolean forceExecution;

    /**
     * The number of this run's interaction in the session's history, reserved when its first code runs (the counter's
     * round trip then runs beside the worker and the interpretation); null before.
     */
    private volatile SessionStore.Reservation number;

    /** When the stream was subscribed (nano time): the opt-in breakdown's {@code prepare} and {@code run} start there. */
    private final long subscribedNanos;

    AnalysisRun(
            AnalysisService.Services services,
            PreparedAnalysis prepared,
            Consumer<AnalysisEvent> emit,
            long subscribedNanos) {
        this.services = services;
        this.subscribedNanos = subscribedNanos;
        this.prepared = prepared;
        this.emit = emit;
        this.sources = prepared.session().datasets.stream()
                .map(DatasetDocument::source)
                .toList();
    }

    Uni<Void> run(Duration timeout) {
        stageNanos.put("prepare", startNanos - subscribedNanos);
        emit.accept(new AnalysisEvent.Status("generating", 1));
        long prompt = System.nanoTime();
        CodeRequest request = CodeRequest.first(
                        prepared.question(),
                        prepared.session().datasets.stream()
                                .map(DatasetDocument::schema)
                                .toList(),
                        History.context(prepared.recent()),
                        prepared.privacy())
                .withSharedColumns(prepared.session().sharedColumns)
                .withDictionaries(Dictionaries.of(prepared.session()));
        stageNanos.put("prompt", System.nanoTime() - prompt);
        Uni<VerifiedLookup> verifiedLookup = prepared.lookup() != null
                ? prepared.lookup()
                : services.verified().lookup(prepared.session(), prepared.question());
        return stage("lookup", verifiedLookup)
                .chain(lookup -> lookup.same().isPresent()
                        ? reuse(request, lookup.same().get())
                        : attempt(request.withExamples(lookup.examples()), false))
                .chain(this::answer)
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new ProblemException(
                        ProblemType.TIMEOUT, "The analysis did not finish within " + timeout.toSeconds() + " s."))
                .onFailure()
                .recoverWithUni(this::fail);
    }

    /** The successful attempt, or ({@code clarifying} set) the generation that asked back instead of writing code. */
    private record Executed(int attempt, String code, ExecutionResult result, String reading, Generation clarifying) {

        Executed(int attempt, String code, ExecutionResult result, String reading) {
            this(attempt, code, result, reading, null);
        }
    }

    /**
     * The same question verified on the same datasets: its code instead of a new generation, validated and run again
     * in the sandbox (never a stored result shown as fresh), and said so in the reading and the answer. A reused code
     * that fails now is repaired by the analyst like any failed attempt.
     */
    private Uni<Executed> reuse(CodeRequest request, VerifiedAnswer same) {
        reusedVerified = same.interactionId();
        services.verifiedMetrics().reused();
        String reading = "Reused the verified answer " + same.interactionId() + " (\""
                + abbreviate(same.question(), 120) + "\"): its code, run again on the current data.";
        Generation generation = new Generation(
                same.code(),
                same.code(),
                TokenUsage.NONE,
                null,
                prepared.analyst().name(),
                reading);
        forceExecution = true;
        return validate(request, generation);
    }

    private Uni<Executed> attempt(CodeRequest request, boolean announce) {
        int n = request.attempt();
        if (announce) {
            emit.accept(new AnalysisEvent.Status("generating", n));
        }
        return stage("generation", prepared.analyst().generateCode(request))
                .chain(generation -> generation.clarification() != null
                        ? Uni.createFrom().item(new Executed(n, null, null, null, generation))
                        : validate(request, generation));
    }

    private Uni<Executed> validate(CodeRequest request, Generation generation) {
        int n = request.attempt();
        usage = usage.plus(generation.usage());
        model = generation.model();
        String code = generation.code() == null ? "" : generation.code().stripTrailing();
        lastCode = code;
        emit.accept(new AnalysisEvent.Code(n, code));
        emit.accept(new AnalysisEvent.Status("validating", n));
        return stage("validation", services.validator().validate(code)).chain(verdict -> {
            AnalysisEvent.Validation validation = new AnalysisEvent.Validation(n, verdict.ok(), verdict.violations());
            emit.accept(validation);
            if (!verdict.ok()) {
                attempts.add(new Answer.Attempt(n, code, validation, null));
                return next(
                        request,
                        PreviousAttempt.validation(code, feedback(generation, verdict)),
                        "the validator refused the code: " + verdict.feedback());
            }
            emit.accept(new AnalysisEvent.Status("executing", n));
            return execute(code).chain(result -> executed(request, code, validation, result, reading(generation)));
        });
    }

    private static String feedback(Generation generation, Verdict verdict) {
        return generation.hasCode()
                ? verdict.feedback()
                : "The answer held no Python code. Reply with one ```python code block that assigns the answer to `result`.";
    }

    /** The analyst's statement of what the code computes: one line, bounded; null when it stated none. */
    private static String reading(Generation generation) {
        String reading = generation.reading();
        if (reading == null || reading.isBlank()) {
            return null;
        }
        String line = reading.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_READING ? line : line.substring(0, MAX_READING - 1) + "…";
    }

    private Uni<Executed> executed(
            CodeRequest request, String code, AnalysisEvent.Validation validation, Cached result, String reading) {
        int n = request.attempt();
        ExecutionResult r = result.result();
        AnalysisEvent.Execution execution = new AnalysisEvent.Execution(
                n,
                r.succeeded(),
                r.stdout(),
                errorText(r),
                seconds(r.duration()),
                result.cached() ? Boolean.TRUE : null);
        emit.accept(execution);
        attempts.add(new Answer.Attempt(n, code, validation, execution));
        if (r.succeeded()) {
            return Uni.createFrom().item(new Executed(n, code, r, reading));
        }
        return next(request, PreviousAttempt.execution(code, executionFeedback(r)), "the code failed: " + errorText(r));
    }

    private Uni<Executed> next(CodeRequest request, PreviousAttempt failed, String why) {
        if (request.attempt() >= services.maxAttempts()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.ANALYSIS_FAILED,
                            "No working code after "
                                    + request.attempt() + (request.attempt() == 1 ? " attempt" : " attempts")
                                    + "; the last one failed: "
                                    + abbreviate(why, 600)
                                    + " Try rephrasing the question, or name the columns to use."));
        }
        return attempt(request.retry(failed), true);
    }

    private record Cached(ExecutionResult result, boolean cached) {}

    private Uni<Cached> execute(String code) {
        if (number == null) {
            // not when the run begins: a question read while many others of its session are in the model would find
            // their numbers taken but not stored, and read its context by query rather than by key
            number = services.history().reserve(prepared.session().id);
        }
        String key = ResultCache.key(sources, code);
        boolean force = forceExecution;
        forceExecution = false;
        return (force ? Optional.<ExecutionResult>empty() : services.cache().get(key))
                .map(hit -> Uni.createFrom().item(new Cached(hit, true)))
                .orElseGet(() -> stage(
                                "execution",
                                services.sandbox()
                                        .execute(prepared.session().id, sources, code)
                                        // the worker died under this execution (its standby takes over at once): run it
                                        // again, once
                                        .onFailure(AnalysisRun::workerLost)
                                        .retry()
                                        .withBackOff(WORKER_RETRY_DELAY)
                                        .atMost(1))
                        .invoke(result -> services.cache().put(key, result))
                        .map(result -> new Cached(result, false)));
    }

    private static boolean workerLost(Throwable e) {
        return e instanceof ProblemException p && p.type() == ProblemType.WORKER_UNAVAILABLE;
    }

    private Uni<Void> answer(Executed executed) {
        if (executed.clarifying() != null) {
            return clarify(executed.clarifying());
        }
        ExecutionResult result = executed.result();
        if (executed.reading() != null) {
            emit.accept(new AnalysisEvent.Reading(executed.reading()));
        }
        emit.accept(new AnalysisEvent.Result(executed.attempt(), result.result(), result.resultTruncated()));
        List<AnalysisEvent.Chart> charts = charts(result);
        charts.forEach(emit);
        emit.accept(new AnalysisEvent.Status("interpreting", executed.attempt()));
        ResultSummary whole = ResultSummary.of(result.summary()).orElse(null);
        InterpretationRequest request = InterpretationRequest.of(
                        prepared.question(), result.result(), executed.code(), result.stdout(), prepared.privacy())
                .withSummary(whole)
                .withUnits(Dictionaries.units(prepared.session(), executed.code()));
        Uni<InterpretationEvent.Final> interpretation = services.interpreter()
                .interpret(prepared.analyst(), request)
                .onItem()
                .invoke(event -> {
                    if (event instanceof InterpretationEvent.Delta delta) {
                        emit.accept(new AnalysisEvent.Interpretation(delta.text(), false));
                    } else if (event instanceof InterpretationEvent.Retracted) {
                        emit.accept(new AnalysisEvent.Interpretation("", true));
                    }
                })
                .select()
                .where(e -> e instanceof InterpretationEvent.Final)
                .map(e -> (InterpretationEvent.Final) e)
                .collect()
                .last();
        return stage("interpretation", interpretation).chain(done -> {
            usage = usage.plus(done.usage());
            if (done.model() != null) {
                model = done.model();
            }
            Answer answer = new Answer(
                    prepared.question(),
                    executed.code(),
                    result.result(),
                    done.text(),
                    null,
                    seconds(result.duration()),
                    conversationId,
                    List.copyOf(attempts),
                    charts,
                    usage(),
                    done.grounding(),
                    timings(),
                    executed.reading(),
                    null,
                    reusedVerified == null ? null : Boolean.TRUE,
                    reusedVerified);
            String sessionId = prepared.session().id;
            long chartsStart = System.nanoTime();
            Uni<Void> written = services.history()
                    .storeCharts(sessionId, conversationId, charts)
                    .invoke(() -> stageNanos.put("history.charts", System.nanoTime() - chartsStart))
                    .chain(stored -> services.history()
                            .append(
                                    sessionId,
                                    services.history()
                                            .entry(
                                                    answer,
                                                    whole,
                                                    stored ? sessionId : null,
                                                    started,
                                                    prepared.privacy()),
                                    number,
                                    (step, nanos) -> stageNanos.merge("history." + step, nanos, Long::sum))
                            .onFailure()
                            .call(() -> services.history().forgetCharts(sessionId, conversationId)));
            return stage("history", written).invoke(() -> {
                services.metrics().finished("done", attempts.size());
                emit.accept(new AnalysisEvent.Done(withBreakdown(answer)));
            });
        });
    }

    /**
     * Ends the analysis with the analyst's clarifying question: a {@code clarification} event, the interaction stored
     * as one (no code, no result), then {@code done}.
     */
    private Uni<Void> clarify(Generation generation) {
        usage = usage.plus(generation.usage());
        model = generation.model();
        Clarification c = generation.clarification();
        emit.accept(new AnalysisEvent.Clarification(c.question(), c.options()));
        Answer answer = new Answer(
                prepared.question(),
                null,
                null,
                null,
                null,
                0,
                conversationId,
                List.copyOf(attempts),
                List.of(),
                usage(),
                null,
                timings(),
                null,
                c,
                null,
                null);
        return services.history()
                .append(
                        prepared.session().id,
                        services.history().entry(answer, null, null, started, prepared.privacy()),
                        number,
                        (step, nanos) -> {})
                .invoke(() -> {
                    services.metrics().finished("clarification", attempts.size());
                    emit.accept(new AnalysisEvent.Done(answer));
                });
    }

    private Uni<Void> fail(Throwable failure) {
        ProblemException known = ProblemFailures.find(failure);
        Problem problem = known != null
                ? known.problem()
                : Problem.of(ProblemType.INTERNAL, "The analysis failed unexpectedly; the error has been logged.");
        if (known == null) {
            Log.errorf(failure, "Analysis of session %s failed", prepared.session().id);
        }
        Answer failed = new Answer(
                prepared.question(),
                lastCode,
                null,
                null,
                problem.detail(),
                0,
                conversationId,
                List.copyOf(attempts),
                List.of(),
                usage(),
                null,
                timings(),
                null);
        AnalysisEvent.Error error = new AnalysisEvent.Error(
                problem.type(),
                problem.title(),
                problem.status(),
                problem.detail(),
                conversationId,
                problem.extensions());
        // A session deleted meanwhile is what the client must hear, whatever failed first (the dataset's GridFS file
        // gone under the worker's load, a history write that matched nothing): the append never upserts, so the
        // failed interaction is not stored either and nothing of the session comes back.
        return services.history()
                .append(
                        prepared.session().id,
                        services.history()
                                .entry(failed, null, null, started, prepared.privacy())
                                .withProblem(History.problem(problem)),
                        number,
                        (step, nanos) -> {})
                .map(stored -> error)
                .onFailure(AnalysisRun::sessionGone)
                .recoverWithItem(e -> deleted())
                .onFailure()
                .invoke(e -> Log.warnf("History of a failed analysis not stored: %s", e.getMessage()))
                .onFailure()
                .recoverWithItem(error)
                .invoke(event -> {
                    services.metrics().finished("error", attempts.size());
                    emit.accept(event);
                })
                .replaceWithVoid();
    }

    /** Whether {@code e} says that the session no longer exists (its document matched nothing). */
    private static boolean sessionGone(Throwable e) {
        ProblemException p = ProblemFailures.find(e);
        return p != null && p.type() == ProblemType.NOT_FOUND;
    }

    private AnalysisEvent.Error deleted() {
        Problem problem = Problem.of(ProblemType.NOT_FOUND, History.SESSION_DELETED);
        return new AnalysisEvent.Error(
                problem.type(), problem.title(), problem.status(), problem.detail(), conversationId);
    }

    private <T> Uni<T> stage(String name, Uni<T> uni) {
        return services.metrics().timed(name, uni, nanos -> stageNanos.merge(name, nanos, Long::sum));
    }

    /** The charts an execution drew, as the {@code chart} events that carry them. */
    static List<AnalysisEvent.Chart> charts(ExecutionResult result) {
        return result.charts().stream()
                .map(c -> new AnalysisEvent.Chart(
                        "image/" + c.format(), c.data(), c.width(), c.height(), c.plot(), c.spec(), c.specNote()))
                .toList();
    }

    /**
     * The answer, with the opt-in breakdown ({@code analysis.timings-breakdown}) of the stages that are the pipeline's
     * own time added to its timings once the interaction is stored: the same answer when it is off.
     */
    private Answer withBreakdown(Answer answer) {
        if (!services.timingsBreakdown()) {
            return answer;
        }
        Map<String, Double> timings = new LinkedHashMap<>(answer.timings());
        for (String stage : List.of(
                "prepare",
                "prompt",
                "lookup",
                "history",
                "history.charts",
                "history.number",
                "history.insert",
                "history.check")) {
            timings.put(stage, millis(stageNanos.getOrDefault(stage, 0L)));
        }
        timings.put("run", millis(System.nanoTime() - subscribedNanos));
        prepared.beforeNanos().forEach((part, nanos) -> timings.put(part, millis(nanos)));
        return new Answer(
                answer.question(),
                answer.generatedCode(),
                answer.rawResult(),
                answer.interpretation(),
                answer.error(),
                answer.executionTime(),
                answer.conversationId(),
                answer.attempts(),
                answer.charts(),
                answer.usage(),
                answer.grounding(),
                timings,
                answer.reading(),
                answer.clarification(),
                answer.verified(),
                answer.verifiedFrom());
    }

    private static double millis(long nanos) {
        return nanos / 10_000 / 100.0;
    }

    /** Milliseconds spent in each stage (all attempts) and in total, so far. */
    private Map<String, Double> timings() {
        Map<String, Double> timings = new LinkedHashMap<>();
        for (String stage : List.of("generation", "validation", "execution", "interpretation")) {
            timings.put(stage, millis(stageNanos.getOrDefault(stage, 0L)));
        }
        timings.put("total", millis(System.nanoTime() - startNanos));
        return timings;
    }

    private Answer.Usage usage() {
        return new Answer.Usage(
                prepared.analyst().name(), model, usage.inputTokens(), usage.outputTokens(), usage.totalTokens());
    }

    private String errorText(ExecutionResult r) {
        return errorText(r, services.executionTimeout());
    }

    /** Why an execution failed, in words for the person and the model; null when it succeeded. */
    static String errorText(ExecutionResult r, Duration timeout) {
        if (r.succeeded()) {
            return null;
        }
        return switch (r.outcome()) {
            case TIMEOUT -> "The code did not finish within " + timeout.toSeconds() + " s and was stopped.";
            case KILLED ->
                "The code was stopped for exceeding its CPU or memory limit"
                        + (r.error() == null ? "." : ": " + r.error().message());
            default ->
                r.error() == null
                        ? "The code failed."
                        : r.error().type() + ": " + r.error().message();
        };
    }

    private String executionFeedback(ExecutionResult r) {
        return switch (r.outcome()) {
            case TIMEOUT -> errorText(r) + " Avoid Python loops over rows and use vectorised pandas operations.";
            case KILLED -> errorText(r) + " Work on aggregates instead of copies or cross joins of the data.";
            default ->
                r.error() == null
                        ? errorText(r)
                        : errorText(r)
                                + (r.error().traceback() == null
                                        ? ""
                                        : "\n" + r.error().traceback());
        };
    }

    /** An execution's time in seconds, to the microsecond (a short run is not 0); 0 when it has none. */
    static double seconds(Duration d) {
        return d == null ? 0 : Math.round(d.toNanos() / 1e3) / 1e6;
    }

    private static String abbreviate(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
