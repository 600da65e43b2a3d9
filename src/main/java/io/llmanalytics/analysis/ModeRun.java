package io.llmanalytics.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.llmanalytics.analyst.Generation;
import io.llmanalytics.analyst.PreviousAttempt;
import io.llmanalytics.analyst.ResultSummary;
import io.llmanalytics.analyst.TokenUsage;
import io.llmanalytics.analyst.plan.Mode;
import io.llmanalytics.analyst.plan.ModeAnalyst;
import io.llmanalytics.analyst.plan.PlanRequest;
import io.llmanalytics.analyst.plan.PlannedStep;
import io.llmanalytics.analyst.plan.StepOutcome;
import io.llmanalytics.analyst.plan.StepPlan;
import io.llmanalytics.analyst.plan.StepRequest;
import io.llmanalytics.analyst.plan.Synthesis;
import io.llmanalytics.analyst.plan.SynthesisGrounding;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.ExecutionResult;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.StoredInteraction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One question analysed in a mode other than {@code answer}: the analyst's plan ({@code plan} event), each step as
 * the single-question loop (code, validation, execution, self-healing; every event wrapped in {@link
 * AnalysisEvent.Stepped}), earlier steps' results bound to {@code step1}, {@code step2}... in later steps (as the JSON
 * the service holds, decoded by the worker), a step that still fails reported ({@code step_failed}) and skipped, then
 * the synthesis with every number grounded on a step's result ({@code report}) and {@code done}. The budgets of {@link
 * ModesConfig} bound it; the report says which one ended it. Stored as one interaction. The returned Uni never fails.
 */
final class ModeRun {

    static final String COMPLETE = "complete";
    static final String STEPS = "steps";
    static final String WALL_TIME = "wall_time";

    private final AnalysisService.Services services;
    private final ModesConfig budgets;
    private final PreparedAnalysis prepared;
    private final Mode mode;
    private final ModeAnalyst analyst;
    private final Consumer<AnalysisEvent> emit;
    private final List<DatasetSource> sources;
    private final String conversationId = UUID.randomUUID().toString();
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final List<StepOutcome> outcomes = new ArrayList<>();
    /** Steps whose result was cut to its bounds: never handed on as if whole (a later step would compute on a part). */
    private final Set<Integer> truncatedSteps = new HashSet<>();
    /** The charts the steps drew, in order: streamed with their step, stored with the analysis. */
    private final List<AnalysisEvent.Chart> drawn = new ArrayList<>();

    private final List<ModeAnswer.Step> steps = new ArrayList<>();
    private final List<Answer.Attempt> allAttempts = new ArrayList<>();
    private TokenUsage usage = TokenUsage.NONE;
    private String model;
    private String endedBy = COMPLETE;

    ModeRun(
            AnalysisService.Services services,
            ModesConfig budgets,
            PreparedAnalysis prepared,
            Mode mode,
            ModeAnalyst analyst,
            Consumer<AnalysisEvent> emit) {
        this.services = services;
        this.budgets = budgets;
        this.prepared = prepared;
        this.mode = mode;
        this.analyst = analyst;
        this.emit = emit;
        this.sources = prepared.session().datasets.stream()
                .map(DatasetDocument::source)
                .toList();
        this.deadlineNanos = startNanos + budgets.wallTime().toNanos();
    }

    Uni<Void> run() {
        PlanRequest request = new PlanRequest(
                mode,
                prepared.question(),
                prepared.session().datasets.stream()
                        .map(DatasetDocument::schema)
                        .toList(),
                prepared.session().sharedColumns,
                prepared.privacy(),
                budgets.maxSteps());
        emit.accept(new AnalysisEvent.Status("planning", 1));
        return bounded(analyst.plan(request))
                .chain(plan -> planned(request, plan))
                .onFailure()
                .recoverWithUni(this::fail);
    }

    private Uni<Void> planned(PlanRequest request, StepPlan plan) {
        if (plan == null) {
            // the wall time ran out before the plan was written: the analysis ends with what it has (nothing)
            endedBy = WALL_TIME;
            emit.accept(new AnalysisEvent.Plan(mode.label(), List.of()));
            return synthesize(request);
        }
        usage = usage.plus(plan.usage());
        model = plan.model();
        List<PlannedStep> planned =
                plan.steps().stream().filter(s -> !s.goal().isEmpty()).toList();
        if (planned.isEmpty()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.ANALYSIS_FAILED,
                            "The analyst wrote no plan for this question. Try rephrasing it, or ask with mode"
                                    + " \"answer\"."));
        }
        if (planned.size() > budgets.maxSteps()) {
            planned = planned.subList(0, budgets.maxSteps());
            endedBy = STEPS;
        }
        List<PlannedStep> toRun = List.copyOf(planned);
        emit.accept(new AnalysisEvent.Plan(
                mode.label(), toRun.stream().map(PlannedStep::goal).toList()));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < toRun.size(); i++) {
            int k = i + 1;
            PlannedStep step = toRun.get(i);
            chain = chain.chain(() -> step(request, k, step));
        }
        return chain.chain(() -> synthesize(request));
    }

    // -- one step ------------------------------------------------------------------------------------------------

    private Uni<Void> step(PlanRequest plan, int k, PlannedStep planned) {
        if (System.nanoTime() >= deadlineNanos) {
            endedBy = WALL_TIME;
            steps.add(new ModeAnswer.Step(k, planned.goal(), "not_run", null, null, null, null, 0, 0));
            return Uni.createFrom().voidItem();
        }
        StepRequest request = new StepRequest(plan, k, planned, List.copyOf(outcomes), 1, null);
        StepState state = new StepState(k, planned.goal());
        return bounded(attempt(request, state))
                .map(done -> {
                    if (done == null) {
                        endedBy = WALL_TIME;
                        return state.failed("stopped: the analysis reached its wall-time budget of "
                                + label(budgets.wallTime()) + ".");
                    }
                    return done;
                })
                .invoke(outcome -> {
                    outcomes.add(outcome);
                    if (!outcome.succeeded()) {
                        emit.accept(new AnalysisEvent.Stepped(k, new AnalysisEvent.StepFailed(k, outcome.error())));
                    }
                    steps.add(state.record(outcome));
                })
                .replaceWithVoid();
    }

    /** What one step did so far. */
    private final class StepState {
        final int step;
        final String goal;
        String code;
        int attempts;
        double executionTime;
        boolean truncated;

        StepState(int step, String goal) {
            this.step = step;
            this.goal = goal;
        }

        StepOutcome failed(String why) {
            return new StepOutcome(step, goal, code, null, null, why);
        }

        ModeAnswer.Step record(StepOutcome o) {
            return new ModeAnswer.Step(
                    step,
                    goal,
                    o.succeeded() ? "done" : "failed",
                    code,
                    o.result(),
                    o.succeeded() ? truncated : null,
                    o.error(),
                    attempts,
                    executionTime);
        }
    }

    private void emitStep(int k, AnalysisEvent event) {
        emit.accept(new AnalysisEvent.Stepped(k, event));
    }

    private Uni<StepOutcome> attempt(StepRequest request, StepState state) {
        int k = request.step();
        int n = request.attempt();
        state.attempts = n;
        emitStep(k, new AnalysisEvent.Status("generating", n));
        return analyst.stepCode(request).chain(generation -> validate(request, state, generation));
    }

    private Uni<StepOutcome> validate(StepRequest request, StepState state, Generation generation) {
        int k = request.step();
        int n = request.attempt();
        usage = usage.plus(generation.usage());
        if (generation.model() != null) {
            model = generation.model();
        }
        String code = generation.code() == null ? "" : generation.code().stripTrailing();
        state.code = code;
        emitStep(k, new AnalysisEvent.Code(n, code));
        emitStep(k, new AnalysisEvent.Status("validating", n));
        return services.validator().validate(code).chain(verdict -> {
            AnalysisEvent.Validation validation = new AnalysisEvent.Validation(n, verdict.ok(), verdict.violations());
            emitStep(k, validation);
            if (!verdict.ok()) {
                allAttempts.add(new Answer.Attempt(n, code, validation, null));
                String feedback = generation.hasCode()
                        ? verdict.feedback()
                        : "The answer held no Python code. Reply with one ```python code block that assigns the"
                                + " answer to `result`.";
                return next(
                        request,
                        state,
                        PreviousAttempt.validation(code, feedback),
                        "the validator refused the code: " + verdict.feedback());
            }
            emitStep(k, new AnalysisEvent.Status("executing", n));
            return services.sandbox()
                    .execute(prepared.session().id, sources, code, bindings())
                    .chain(result -> executed(request, state, code, validation, result));
        });
    }

    /**
     * The earlier steps' results, as the JSON the service holds, by the names later steps use. A result that was cut
     * to its bounds (the first rows of a large table) is withheld: the later step gets a name whose every use fails
     * saying so, never a part of the result that it would take for the whole.
     */
    private Map<String, JsonNode> bindings() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (StepOutcome o : outcomes) {
            if (o.succeeded()) {
                out.put(
                        o.variable(),
                        truncatedSteps.contains(o.step())
                                ? JsonNodeFactory.instance
                                        .objectNode()
                                        .put("type", "withheld")
                                        .put(
                                                "reason",
                                                o.variable() + " was too large to pass on whole (only its first rows"
                                                        + " were kept): compute what you need from df again")
                                : o.result());
            }
        }
        return out;
    }

    private Uni<StepOutcome> executed(
            StepRequest request, StepState state, String code, AnalysisEvent.Validation validation, ExecutionResult r) {
        int k = request.step();
        int n = request.attempt();
        String error = errorText(r);
        double time = AnalysisRun.seconds(r.duration());
        state.executionTime += time;
        AnalysisEvent.Execution execution =
                new AnalysisEvent.Execution(n, r.succeeded(), r.stdout(), error, time, null);
        emitStep(k, execution);
        allAttempts.add(new Answer.Attempt(n, code, validation, execution));
        if (r.succeeded()) {
            state.truncated = r.resultTruncated();
            if (r.resultTruncated()) {
                truncatedSteps.add(k);
            }
            emitStep(k, new AnalysisEvent.Result(n, r.result(), r.resultTruncated()));
            for (AnalysisEvent.Chart chart : AnalysisRun.charts(r)) {
                drawn.add(chart);
                emitStep(k, chart);
            }
            ResultSummary summary = ResultSummary.of(r.summary()).orElse(null);
            return Uni.createFrom().item(new StepOutcome(k, state.goal, code, r.result(), summary, null));
        }
        String feedback = r.error() != null && r.error().traceback() != null
                ? error + "\n" + r.error().traceback()
                : error;
        return next(request, state, PreviousAttempt.execution(code, feedback), "the code failed: " + error);
    }

    private Uni<StepOutcome> next(StepRequest request, StepState state, PreviousAttempt failed, String why) {
        if (request.attempt() >= budgets.attemptsPerStep()) {
            return Uni.createFrom()
                    .item(state.failed("No working code after " + request.attempt()
                            + (request.attempt() == 1 ? " attempt" : " attempts") + " (the attempts-per-step budget); "
                            + abbreviate(why, 400)));
        }
        return attempt(request.retry(failed), state);
    }

    // -- synthesis -----------------------------------------------------------------------------------------------

    private Uni<Void> synthesize(PlanRequest request) {
        emit.accept(new AnalysisEvent.Status("synthesizing", 1));
        Uni<Synthesis> written;
        if (endedBy.equals(WALL_TIME) || System.nanoTime() >= deadlineNanos) {
            endedBy = WALL_TIME;
            written = Uni.createFrom().item(unwritten());
        } else if (outcomes.stream().noneMatch(StepOutcome::succeeded)) {
            written = Uni.createFrom()
                    .item(new Synthesis(
                            "No step of the plan produced a result, so there are no findings to report.",
                            List.of(),
                            List.of(),
                            TokenUsage.NONE,
                            null));
        } else {
            written = bounded(analyst.synthesize(request, List.copyOf(outcomes)))
                    .map(s -> {
                        if (s == null) {
                            endedBy = WALL_TIME;
                            return unwritten();
                        }
                        return s;
                    });
        }
        return written.chain(synthesis -> report(synthesis));
    }

    /** The synthesis when the wall time left none for the analyst: what ran, without findings of its own. */
    private Synthesis unwritten() {
        long done = outcomes.stream().filter(StepOutcome::succeeded).count();
        return new Synthesis(
                done == 0
                        ? "The analysis reached its wall-time budget before any step finished, so there are no findings."
                        : "The analysis reached its wall-time budget before a synthesis could be written; the results"
                                + " of the " + (done == 1 ? "step that finished are" : "steps that finished are")
                                + " shown with each step.",
                List.of(),
                List.of(),
                TokenUsage.NONE,
                null);
    }

    private Uni<Void> report(Synthesis synthesis) {
        usage = usage.plus(synthesis.usage());
        if (synthesis.model() != null) {
            model = synthesis.model();
        }
        SynthesisGrounding.Grounded grounded =
                SynthesisGrounding.ground(synthesis, List.copyOf(outcomes), prepared.question());
        String text = grounded.text();
        if (text.isBlank()) {
            text = "The findings written for this analysis stated numbers that no step computed, so they are not"
                    + " shown; the results of each step are.";
        }
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("max_steps", budgets.maxSteps());
        limits.put("attempts_per_step", budgets.attemptsPerStep());
        limits.put("wall_time_seconds", budgets.wallTime().toSeconds());
        List<String> next = synthesis.nextQuestions().stream()
                .filter(q -> q != null && !q.isBlank())
                .map(String::strip)
                .limit(3)
                .toList();
        ModeAnswer.Report report =
                new ModeAnswer.Report(text, grounded.findings(), next, endedBy, grounded.grounding(), limits);
        emit.accept(new AnalysisEvent.Report(report));
        ModeAnswer answer = new ModeAnswer(
                prepared.question(),
                mode.label(),
                steps.stream().map(ModeAnswer.Step::goal).toList(),
                List.copyOf(steps),
                report,
                conversationId,
                usage(),
                Map.of("total", (System.nanoTime() - startNanos) / 10_000 / 100.0));
        String sessionId = prepared.session().id;
        List<AnalysisEvent.Chart> charts = List.copyOf(drawn);
        return services.history()
                .storeCharts(sessionId, conversationId, charts)
                .chain(stored -> services.history()
                        .append(sessionId, entry(answer, charts, stored ? sessionId : null))
                        .onFailure()
                        .call(() -> services.history().forgetCharts(sessionId, conversationId)))
                .invoke(() -> {
                    services.metrics().finished("done", allAttempts.size());
                    emit.accept(new AnalysisEvent.Finished(answer));
                });
    }

    /**
     * The stored interaction: the steps' code as one script (so exports and follow-ups see it), the charts the steps
     * drew (with their address when {@code chartsOf} names the session they were stored under) and the analysis.
     */
    private StoredInteraction entry(ModeAnswer answer, List<AnalysisEvent.Chart> charts, String chartsOf) {
        StringBuilder script = new StringBuilder();
        JsonNode last = null;
        for (ModeAnswer.Step s : answer.steps()) {
            if (s.code() == null || s.result() == null) {
                continue; // a failed step's code would fail the script (its attempts are stored with the steps)
            }
            script.append("# Step ")
                    .append(s.step())
                    .append(": ")
                    .append(s.goal().replace('\n', ' '))
                    .append('\n');
            script.append(s.code()).append('\n');
            script.append("step").append(s.step()).append(" = result\n\n");
            last = s.result();
        }
        Answer flat = new Answer(
                prepared.question(),
                script.isEmpty() ? null : script.toString().strip(),
                last,
                answer.report().text(),
                null,
                answer.steps().stream()
                        .mapToDouble(ModeAnswer.Step::executionTime)
                        .sum(),
                conversationId,
                List.copyOf(allAttempts),
                charts,
                answer.usage(),
                answer.report().grounding(),
                answer.timings(),
                null);
        return services.history()
                .entry(flat, null, chartsOf, started, prepared.privacy())
                .withAnalysis(services.history().analysis(answer));
    }

    // -- failure -------------------------------------------------------------------------------------------------

    private Uni<Void> fail(Throwable failure) {
        ProblemException known = ProblemFailures.find(failure);
        Problem problem = known != null
                ? known.problem()
                : Problem.of(ProblemType.INTERNAL, "The analysis failed unexpectedly; the error has been logged.");
        if (known == null) {
            Log.errorf(failure, "Multi-step analysis of session %s failed", prepared.session().id);
        }
        AnalysisEvent.Error error = new AnalysisEvent.Error(
                problem.type(),
                problem.title(),
                problem.status(),
                problem.detail(),
                conversationId,
                problem.extensions());
        Answer failed = new Answer(
                prepared.question(),
                null,
                null,
                null,
                problem.detail(),
                0,
                conversationId,
                List.copyOf(allAttempts),
                List.of(),
                usage(),
                null,
                Map.of("total", (System.nanoTime() - startNanos) / 10_000 / 100.0),
                null);
        return services.history()
                .append(
                        prepared.session().id,
                        services.history()
                                .entry(failed, null, null, started, prepared.privacy())
                                .withProblem(History.problem(problem)))
                .map(stored -> error)
                .onFailure()
                .invoke(e -> Log.warnf("History of a failed analysis not stored: %s", e.getMessage()))
                .onFailure()
                .recoverWithItem(error)
                .invoke(event -> {
                    services.metrics().finished("error", allAttempts.size());
                    emit.accept(event);
                })
                .replaceWithVoid();
    }

    // -- helpers -------------------------------------------------------------------------------------------------

    /** {@code uni} bounded by the wall time left; null when the budget ran out first. */
    private <T> Uni<T> bounded(Uni<T> uni) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return Uni.createFrom().nullItem();
        }
        return uni.ifNoItem().after(Duration.ofNanos(left)).recoverWithItem(() -> null);
    }

    private Answer.Usage usage() {
        return new Answer.Usage(
                prepared.analyst().name(), model, usage.inputTokens(), usage.outputTokens(), usage.totalTokens());
    }

    private String errorText(ExecutionResult r) {
        return AnalysisRun.errorText(r, services.executionTimeout());
    }

    private static String label(Duration d) {
        return d.toSeconds() + " s";
    }

    private static String abbreviate(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
