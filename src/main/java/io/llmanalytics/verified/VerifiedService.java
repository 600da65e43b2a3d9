package io.llmanalytics.verified;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analyst.VerifiedExample;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.ExecutionResult;
import io.llmanalytics.sandbox.Sandbox;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDeleted;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.session.StoredInteraction;
import io.llmanalytics.validation.CodeValidator;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verified answers and feedback. Verifying runs the answer's code again (validated first, then in the sandbox) on the
 * session's current datasets and keeps its question, code, the datasets' versions and the fingerprint of that result;
 * an answer whose stored result no longer matches (the data changed since) is refused, so a fingerprint always belongs
 * to the versions kept with it.
 */
@ApplicationScoped
public class VerifiedService {

    private static final Duration WORKER_RETRY_DELAY = Duration.ofMillis(200);
    private static final Set<String> RATINGS = Set.of("up", "down");

    private final SessionService sessions;
    private final SessionStore interactions;
    private final VerifiedStore store;
    private final CodeValidator validator;
    private final Sandbox sandbox;
    private final VerifiedMetrics metrics;
    private final VerifiedConfig config;
    private final ObjectMapper json;

    public VerifiedService(
            SessionService sessions,
            SessionStore interactions,
            VerifiedStore store,
            CodeValidator validator,
            Sandbox sandbox,
            VerifiedMetrics metrics,
            VerifiedConfig config,
            ObjectMapper json) {
        this.sessions = sessions;
        this.interactions = interactions;
        this.store = store;
        this.validator = validator;
        this.sandbox = sandbox;
        this.metrics = metrics;
        this.config = config;
        this.json = json;
    }

    /** How an interaction is marked in the session view. */
    @RegisterForReflection
    public record Mark(boolean verified, Feedback feedback) {}

    /**
     * Marks the answer {@code interactionId} as verified: 404 for an unknown session or interaction, 409 for one that
     * was not answered with code, whose code no longer runs, whose result changed since (the data changed), or when
     * the session has its most verified answers.
     */
    public Uni<VerifiedAnswer> verify(String sessionId, String interactionId) {
        return sessions.find(sessionId)
                .chain(session -> answered(session, interactionId)
                        .chain(answer -> store.list(session.id).chain(existing -> {
                            boolean again = existing.stream()
                                    .anyMatch(v -> v.interactionId().equals(interactionId));
                            if (!again && existing.size() >= config.maxPerSession()) {
                                throw new ProblemException(Problem.of(
                                                ProblemType.CONFLICT,
                                                "This session has " + existing.size() + " verified answers, the most it"
                                                        + " keeps; remove one first (DELETE .../verify).")
                                        .with("max_verified", config.maxPerSession()));
                            }
                            return run(session, answer.generatedCode())
                                    .map(result -> verified(session, answer, result));
                        }))
                        .call(verified -> interactions.markVerified(session.id).invoke(found -> {
                            if (!found) {
                                throw new ProblemException(ProblemType.NOT_FOUND, SessionStore.SESSION_DELETED);
                            }
                        }))
                        .call(store::put)
                        // again once stored: an undo that found none left before the put may have cleared the
                        // mark meanwhile; this sets it again, and a clear begun before this fails (count changed)
                        .call(verified -> interactions.markVerified(session.id))
                        .invoke(metrics::verified));
    }

    /** Undoes {@link #verify}: 404 when the interaction is not verified. */
    public Uni<Void> unverify(String sessionId, String interactionId) {
        return sessions.find(sessionId)
                .chain(session -> store.remove(session.id, interactionId)
                        .invoke(removed -> {
                            if (!removed) {
                                throw new ProblemException(
                                        ProblemType.NOT_FOUND,
                                        "The interaction '" + shortened(interactionId) + "' is not verified.");
                            }
                            metrics.unverified();
                        })
                        .chain(removed -> store.list(session.id))
                        .chain(left -> left.isEmpty()
                                ? interactions.clearVerifiedMark(session)
                                : Uni.createFrom().voidItem()))
                .replaceWithVoid();
    }

    /** Records feedback on an interaction: 400 for a rating other than up/down or a comment too long, 404 unknown. */
    public Uni<Feedback> feedback(String sessionId, String interactionId, String rating, String comment) {
        if (rating == null || !RATINGS.contains(rating)) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.VALIDATION_FAILED,
                            "rating must be \"up\" or \"down\"; send {\"rating\": \"up\", \"comment\": \"...\"}."));
        }
        String text = comment == null || comment.isBlank() ? null : comment.strip();
        if (text != null && text.length() > config.maxCommentLength()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.VALIDATION_FAILED,
                            "comment must be at most " + config.maxCommentLength() + " characters (it has "
                                    + text.length() + ")."));
        }
        return sessions.find(sessionId)
                .chain(session -> interactions.interaction(session.id, interactionId))
                .chain(found -> {
                    found.orElseThrow(() -> unknown(interactionId));
                    Feedback f = new Feedback(
                            interactionId, rating, text, Instant.now().truncatedTo(ChronoUnit.MILLIS));
                    return store.putFeedback(sessionId, f).replaceWith(f);
                })
                .invoke(f -> metrics.feedback(rating));
    }

    /** The verified answers of a session, oldest first (404 for an unknown session). */
    public Uni<List<VerifiedAnswer>> list(String sessionId) {
        return sessions.find(sessionId).chain(session -> store.list(session.id));
    }

    /** How each marked interaction of a session is marked (verified, feedback), by interaction id. */
    public Uni<Map<String, Mark>> marks(String sessionId) {
        return Uni.combine()
                .all()
                .unis(store.list(sessionId), store.feedback(sessionId))
                .asTuple()
                .map(t -> {
                    Map<String, Mark> marks = new LinkedHashMap<>();
                    t.getItem1().forEach(v -> marks.put(v.interactionId(), new Mark(true, null)));
                    t.getItem2()
                            .forEach(f -> marks.merge(
                                    f.interactionId(), new Mark(false, f), (a, b) -> new Mark(a.verified(), f)));
                    return marks;
                });
    }

    /**
     * What the session's verified answers offer {@code question}: the same question (normalised equal) verified on the
     * datasets as they are now, to reuse, and up to {@code verified.max-examples} close ones as examples. Never fails:
     * a store that does not answer means no help.
     */
    public Uni<VerifiedLookup> lookup(SessionDocument session, String question) {
        if (Boolean.FALSE.equals(session.verifiedAnswers)) {
            return Uni.createFrom().item(VerifiedLookup.NONE); // none when the session was read: no query
        }
        return store.list(session.id)
                .map(all -> lookup(all, versions(session), question, false))
                .onFailure()
                .recoverWithItem(e -> {
                    Log.warnf("Verified answers of session %s not read: %s", session.id, e.getMessage());
                    return VerifiedLookup.NONE;
                });
    }

    /**
     * The examples for re-asking a verified question in an evaluation: close verified questions, never the same one
     * (else the evaluation would test nothing), and nothing to reuse.
     */
    public List<VerifiedExample> examplesForEvaluation(List<VerifiedAnswer> all, String question) {
        return lookup(all, List.of(), question, true).examples();
    }

    VerifiedLookup lookup(
            List<VerifiedAnswer> all,
            List<VerifiedAnswer.DatasetVersion> current,
            String question,
            boolean excludeSame) {
        String normal = QuestionText.normalised(question);
        Optional<VerifiedAnswer> same = excludeSame
                ? Optional.empty()
                : all.stream()
                        .filter(v -> normal.equals(v.normalisedQuestion()))
                        .filter(v -> sameVersions(v.datasets(), current))
                        .reduce((a, b) -> b);
        if (same.isPresent()) {
            return new VerifiedLookup(same, List.of());
        }
        record Scored(VerifiedAnswer answer, double score) {}
        Set<String> seen = new HashSet<>();
        List<VerifiedExample> examples = all.stream()
                .filter(v -> !excludeSame || !normal.equals(v.normalisedQuestion()))
                .map(v -> new Scored(v, QuestionText.similarity(question, v.question())))
                .filter(s -> s.score() >= config.similarity())
                .sorted(Comparator.comparingDouble(Scored::score).reversed())
                .filter(s -> seen.add(s.answer().normalisedQuestion()))
                .limit(config.maxExamples())
                .map(s -> new VerifiedExample(s.answer().question(), s.answer().code()))
                .toList();
        return new VerifiedLookup(Optional.empty(), examples);
    }

    /** The versions of a session's datasets as they are now. */
    public static List<VerifiedAnswer.DatasetVersion> versions(SessionDocument session) {
        return session.datasets.stream()
                .map(d -> new VerifiedAnswer.DatasetVersion(d.name(), d.contentHash()))
                .toList();
    }

    private static boolean sameVersions(List<VerifiedAnswer.DatasetVersion> a, List<VerifiedAnswer.DatasetVersion> b) {
        return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
    }

    private Uni<StoredInteraction> answered(SessionDocument session, String interactionId) {
        return interactions.interaction(session.id, interactionId).map(found -> {
            StoredInteraction answer = found.orElseThrow(() -> unknown(interactionId));
            if (!answer.answered()) {
                throw new ProblemException(
                        ProblemType.CONFLICT,
                        "Only answers computed by code can be verified; this interaction has none (it failed or was"
                                + " declined).");
            }
            return answer;
        });
    }

    /** The code's result on the session's current datasets; 409 when it is refused or fails now. */
    private Uni<ExecutionResult> run(SessionDocument session, String code) {
        List<DatasetSource> sources =
                session.datasets.stream().map(DatasetDocument::source).toList();
        return validator.validate(code).chain(verdict -> {
            if (!verdict.ok()) {
                throw new ProblemException(
                        ProblemType.CONFLICT,
                        "The answer's code is refused by the validator now: " + verdict.feedback());
            }
            return sandbox.execute(session.id, sources, code)
                    .onFailure(e -> e instanceof ProblemException p && p.type() == ProblemType.WORKER_UNAVAILABLE)
                    .retry()
                    .withBackOff(WORKER_RETRY_DELAY)
                    .atMost(1)
                    .map(result -> {
                        if (!result.succeeded()) {
                            throw new ProblemException(
                                    ProblemType.CONFLICT,
                                    "The answer's code fails on the session's current data ("
                                            + (result.error() == null
                                                    ? result.outcome()
                                                    : result.error().message())
                                            + "); ask the question again and verify the new answer.");
                        }
                        return result;
                    });
        });
    }

    private VerifiedAnswer verified(SessionDocument session, StoredInteraction answer, ExecutionResult result) {
        String fingerprint = ResultFingerprint.of(result.result(), config.fingerprintDigits());
        JsonNode stored = answer.rawResult() == null ? null : json.valueToTree(answer.rawResult());
        boolean omitted = stored != null && "omitted".equals(stored.path("type").asText());
        if (stored != null
                && !omitted
                && !fingerprint.equals(ResultFingerprint.of(stored, config.fingerprintDigits()))
                && !ResultFingerprint.equalWithin(stored, result.result(), config.tolerance())) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "The answer's code gives another result on the session's current data than the one shown (a"
                            + " dataset changed since); ask the question again and verify the new answer.");
        }
        return new VerifiedAnswer(
                session.id,
                answer.conversationId(),
                answer.question(),
                QuestionText.normalised(answer.question()),
                answer.generatedCode(),
                versions(session),
                fingerprint,
                values(result.result()),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private String values(JsonNode result) {
        try {
            String text = json.writeValueAsString(result);
            return text.length() <= config.maxValuesChars() ? text : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The kept values of a verified answer's result; null when too large to keep. */
    public JsonNode values(VerifiedAnswer answer) {
        if (answer.values() == null) {
            return null;
        }
        try {
            return json.readTree(answer.values());
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    void sessionDeleted(@Observes SessionDeleted event) {
        store.deleteSession(event.sessionId())
                .subscribe()
                .with(x -> {}, e -> Log.warnf("Verified answers of a deleted session not removed: %s", e.getMessage()));
    }

    private static ProblemException unknown(String interactionId) {
        return new ProblemException(
                ProblemType.NOT_FOUND, "This session has no interaction with id '" + shortened(interactionId) + "'.");
    }

    private static String shortened(String id) {
        return id == null ? "" : id.length() <= 80 ? id : id.substring(0, 80) + "...";
    }
}
