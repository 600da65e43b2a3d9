package io.llmanalytics.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analysis.AnalysisConfig;
import io.llmanalytics.analyst.Analyst;
import io.llmanalytics.analyst.AnalystSelector;
import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.Generation;
import io.llmanalytics.analyst.LlmConfig;
import io.llmanalytics.analyst.PreviousAttempt;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.ExecutionResult;
import io.llmanalytics.sandbox.Sandbox;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.validation.CodeValidator;
import io.llmanalytics.verified.ResultFingerprint;
import io.llmanalytics.verified.VerifiedAnswer;
import io.llmanalytics.verified.VerifiedConfig;
import io.llmanalytics.verified.VerifiedService;
import io.llmanalytics.verified.VerifiedStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Evaluations: every verified question of a session asked again, one after the other, with the current analyst, model
 * and prompt on the current data — without the verified shortcut, without history, and without the question's own
 * verified example (else it would test nothing) — through the same steps as an analysis (code generation, the
 * validator, the sandbox, repairs up to {@code MAX_ATTEMPTS}; no interpretation), and each result compared with the
 * verified one. An evaluation is kept (the newest {@code verified.max-evaluations}) and never touches the history.
 */
@ApplicationScoped
public class EvaluationService {

    private static final Duration WORKER_RETRY_DELAY = Duration.ofMillis(200);
    private static final int MAX_DETAIL = 300;

    private final SessionService sessions;
    private final VerifiedStore store;
    private final VerifiedService verified;
    private final AnalystSelector analysts;
    private final CodeValidator validator;
    private final Sandbox sandbox;
    private final VerifiedConfig config;
    private final LlmConfig llm;
    private final AnalysisConfig analysis;
    private final ObjectMapper json;

    public EvaluationService(
            SessionService sessions,
            VerifiedStore store,
            VerifiedService verified,
            AnalystSelector analysts,
            CodeValidator validator,
            Sandbox sandbox,
            VerifiedConfig config,
            LlmConfig llm,
            AnalysisConfig analysis,
            ObjectMapper json) {
        this.sessions = sessions;
        this.store = store;
        this.verified = verified;
        this.analysts = analysts;
        this.validator = validator;
        this.sandbox = sandbox;
        this.config = config;
        this.llm = llm;
        this.analysis = analysis;
        this.json = json;
    }

    /** An evaluation ready to run: the session, its verified answers and the analyst to ask. */
    public record Prepared(SessionDocument session, List<VerifiedAnswer> answers, Analyst analyst) {}

    /** The checks before any stream starts: the session (404), an analyst (503), verified answers to ask (409). */
    public Uni<Prepared> prepare(String sessionId) {
        Analyst analyst;
        try {
            analyst = analysts.active();
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
        return sessions.find(sessionId)
                .chain(session -> store.list(session.id).map(answers -> {
                    if (answers.isEmpty()) {
                        throw new ProblemException(
                                ProblemType.CONFLICT,
                                "This session has no verified answers to evaluate; verify answers first (POST"
                                        + " /api/session/{id}/interactions/{interaction_id}/verify).");
                    }
                    return new Prepared(session, answers, analyst);
                }));
    }

    /** The evaluation as events: one per question, in order, then the whole evaluation (kept). Never fails. */
    public Multi<EvaluationEvent> run(Prepared prepared) {
        List<Evaluation.Item> items = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> model = new AtomicReference<>();
        Multi<EvaluationEvent> each = Multi.createFrom()
                .iterable(IntStream.range(0, prepared.answers().size()).boxed().toList())
                .onItem()
                .transformToUniAndConcatenate(i -> evaluate(prepared, i, model))
                .invoke(items::add)
                .map(EvaluationEvent.ItemDone::new);
        Multi<EvaluationEvent> done = Multi.createFrom()
                .uni(Uni.createFrom().deferred(() -> finish(prepared, List.copyOf(items), model.get())));
        return Multi.createBy().concatenating().streams(each, done);
    }

    /** The newest kept evaluations of a session (404 for an unknown session). */
    public Uni<List<Evaluation>> list(String sessionId) {
        return sessions.find(sessionId)
                .chain(session -> store.evaluations(session.id, config.maxEvaluations()))
                .map(bodies ->
                        bodies.stream().map(this::parse).filter(e -> e != null).toList());
    }

    private Uni<EvaluationEvent> finish(Prepared prepared, List<Evaluation.Item> items, String model) {
        int equal = count(items, Evaluation.Outcome.equal);
        int different = count(items, Evaluation.Outcome.different);
        int failed = count(items, Evaluation.Outcome.failed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Evaluation evaluation = new Evaluation(
                UUID.randomUUID().toString(),
                items.size(),
                equal,
                different,
                failed,
                items,
                model,
                prepared.analyst().name(),
                now);
        String body;
        try {
            body = json.writeValueAsString(evaluation);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(new EvaluationEvent.Done(evaluation));
        }
        return store.putEvaluation(
                        prepared.session().id, evaluation.id(), Date.from(now), body, config.maxEvaluations())
                .onFailure()
                .invoke(e -> Log.warnf("Evaluation of session %s not kept: %s", prepared.session().id, e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWith(new EvaluationEvent.Done(evaluation));
    }

    private static int count(List<Evaluation.Item> items, Evaluation.Outcome outcome) {
        return (int) items.stream().filter(i -> i.outcome() == outcome).count();
    }

    private Evaluation parse(String body) {
        try {
            return json.readValue(body, Evaluation.class);
        } catch (JsonProcessingException e) {
            Log.warnf("A kept evaluation could not be read: %s", e.getMessage());
            return null;
        }
    }

    /** One verified question asked again and compared; never fails (a failure is the item's outcome). */
    private Uni<Evaluation.Item> evaluate(Prepared prepared, int index, AtomicReference<String> model) {
        VerifiedAnswer answer = prepared.answers().get(index);
        SessionDocument session = prepared.session();
        CodeRequest request = CodeRequest.first(
                        answer.question(),
                        session.datasets.stream().map(DatasetDocument::schema).toList(),
                        List.of(),
                        llm.privacyMode())
                .withSharedColumns(session.sharedColumns)
                .withExamples(verified.examplesForEvaluation(prepared.answers(), answer.question()));
        List<DatasetSource> sources =
                session.datasets.stream().map(DatasetDocument::source).toList();
        AtomicReference<String> code = new AtomicReference<>();
        return attempt(prepared.analyst(), session.id, sources, request, model, code)
                .map(result -> compare(index, answer, result, code.get()))
                .ifNoItem()
                .after(analysis.timeout())
                .failWith(() -> new ProblemException(
                        ProblemType.TIMEOUT,
                        "No answer within " + analysis.timeout().toSeconds() + " s."))
                .onFailure()
                .recoverWithItem(e -> {
                    ProblemException known = ProblemFailures.find(e);
                    if (known == null) {
                        Log.warnf(e, "Evaluation of a verified question failed");
                    }
                    String why = known != null ? known.problem().detail() : "the question could not be asked again";
                    return new Evaluation.Item(
                            index,
                            answer.interactionId(),
                            answer.question(),
                            Evaluation.Outcome.failed,
                            abbreviate(why),
                            code.get());
                });
    }

    private Uni<ExecutionResult> attempt(
            Analyst analyst,
            String sessionId,
            List<DatasetSource> sources,
            CodeRequest request,
            AtomicReference<String> model,
            AtomicReference<String> code) {
        return analyst.generateCode(request).chain(generation -> {
            if (generation.model() != null) {
                model.set(generation.model());
            }
            String written = written(generation);
            code.set(written);
            return validator.validate(written).chain(verdict -> {
                if (!verdict.ok()) {
                    return next(
                            analyst,
                            sessionId,
                            sources,
                            request,
                            PreviousAttempt.validation(written, verdict.feedback()),
                            "the validator refused the code: " + verdict.feedback(),
                            model,
                            code);
                }
                return sandbox.execute(sessionId, sources, written)
                        .onFailure(e -> e instanceof ProblemException p && p.type() == ProblemType.WORKER_UNAVAILABLE)
                        .retry()
                        .withBackOff(WORKER_RETRY_DELAY)
                        .atMost(1)
                        .chain(result -> {
                            if (result.succeeded()) {
                                return Uni.createFrom().item(result);
                            }
                            String error = result.error() == null
                                    ? "the code failed (" + result.outcome() + ")"
                                    : result.error().type() + ": "
                                            + result.error().message();
                            return next(
                                    analyst,
                                    sessionId,
                                    sources,
                                    request,
                                    PreviousAttempt.execution(written, error),
                                    "the code failed: " + error,
                                    model,
                                    code);
                        });
            });
        });
    }

    private Uni<ExecutionResult> next(
            Analyst analyst,
            String sessionId,
            List<DatasetSource> sources,
            CodeRequest request,
            PreviousAttempt failed,
            String why,
            AtomicReference<String> model,
            AtomicReference<String> code) {
        if (request.attempt() >= llm.maxAttempts()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.ANALYSIS_FAILED,
                            "No working code after " + request.attempt() + " attempt(s); the last one failed: " + why));
        }
        return attempt(analyst, sessionId, sources, request.retry(failed), model, code);
    }

    private static String written(Generation generation) {
        return generation.code() == null ? "" : generation.code().stripTrailing();
    }

    private Evaluation.Item compare(int index, VerifiedAnswer answer, ExecutionResult result, String code) {
        String fingerprint = ResultFingerprint.of(result.result(), config.fingerprintDigits());
        Evaluation.Outcome outcome;
        String detail;
        JsonNode kept = verified.values(answer);
        if (fingerprint.equals(answer.fingerprint())) {
            outcome = Evaluation.Outcome.equal;
            detail = "The same result (fingerprint " + fingerprint.substring(0, 19) + "…).";
        } else if (kept != null && ResultFingerprint.equalWithin(kept, result.result(), config.tolerance())) {
            outcome = Evaluation.Outcome.equal;
            detail = "Numerically equal within the tolerance " + config.tolerance() + ".";
        } else {
            outcome = Evaluation.Outcome.different;
            detail = kept == null
                    ? "Another fingerprint (the verified result was too large to keep its values)."
                    : "Another result: " + brief(result.result()) + " instead of " + brief(kept) + ".";
        }
        return new Evaluation.Item(index, answer.interactionId(), answer.question(), outcome, abbreviate(detail), code);
    }

    private static String brief(JsonNode node) {
        String text = node == null ? "null" : node.toString();
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    private static String abbreviate(String s) {
        return s == null ? null : s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL - 1) + "…";
    }
}
