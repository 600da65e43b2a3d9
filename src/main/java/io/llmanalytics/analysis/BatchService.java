package io.llmanalytics.analysis;

import io.llmanalytics.access.StreamSlot;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers a batch of questions about one session in parallel: each question runs as its own analysis (the same
 * stream, history and charts as {@code /analyze}), at most as many at once as the batch holds concurrent-analysis
 * slots (the request's own, plus those {@code moreSlots} found free, up to {@link BatchConfig#maxParallel()}); the
 * others wait inside the batch, so none of them is refused once the batch was accepted. A question that fails never
 * stops the others. The stream ends with one {@link AnalysisEvent.BatchDone}.
 */
@ApplicationScoped
public class BatchService {

    private final AnalysisService analyses;
    private final BatchConfig config;

    public BatchService(AnalysisService analyses, BatchConfig config) {
        this.analyses = analyses;
        this.config = config;
    }

    /**
     * The checks that need no I/O, thrown at once (400): 1 to {@code BATCH_MAX_QUESTIONS} questions, each valid as
     * {@code /analyze} takes one (the problem names the first that is not, by its 0-based index).
     */
    public List<AnalysisService.CheckedQuestion> check(List<String> questions) {
        if (questions == null || questions.isEmpty() || questions.size() > config.maxQuestions()) {
            throw new ProblemException(
                    ProblemType.VALIDATION_FAILED,
                    "questions must be a list of 1 to " + config.maxQuestions()
                            + " questions (BATCH_MAX_QUESTIONS); it "
                            + (questions == null ? "is missing" : "has " + questions.size()) + ".");
        }
        List<AnalysisService.CheckedQuestion> checked = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            try {
                checked.add(analyses.check(questions.get(i)));
            } catch (ProblemException e) {
                if (e.type() != ProblemType.VALIDATION_FAILED) {
                    throw e;
                }
                throw new ProblemException(
                        ProblemType.VALIDATION_FAILED,
                        "questions[" + i + "]: " + e.problem().detail());
            }
        }
        return List.copyOf(checked);
    }

    /**
     * The batch's events: every event of question i as {@code Indexed(i, event)}, each question's ending with its own
     * {@code done} or {@code error}, then {@code Indexed(null, batch_done)}. {@code prepare} reads the session's
     * context once for all the questions; {@code requestSlot} (the request's own slot) and the slots from
     * {@code moreSlots} (given how many more it may take) are given back before {@code batch_done}, and when the
     * stream is cancelled (a client that went away: the questions in flight are cancelled too).
     */
    public Multi<Indexed> stream(
            Uni<PreparedAnalysis> prepare,
            List<AnalysisService.CheckedQuestion> questions,
            Supplier<Uni<Void>> requestSlot,
            Function<Integer, Uni<List<StreamSlot>>> moreSlots) {
        int total = questions.size();
        Uni<PreparedAnalysis> prepared = prepare.memoize().indefinitely();
        Counts counts = new Counts();
        List<StreamSlot> held = new ArrayList<>();
        Supplier<Uni<Void>> releaseAll = () -> {
            List<Uni<Void>> releases = new ArrayList<>();
            releases.add(requestSlot.get());
            synchronized (held) {
                held.forEach(s -> releases.add(s.release()));
            }
            return Uni.join()
                    .all(releases)
                    .andCollectFailures()
                    .onFailure()
                    .recoverWithNull()
                    .replaceWithVoid();
        };
        int wantedMore = Math.min(total, config.maxParallel()) - 1;
        Multi<Indexed> questionsEvents = Multi.createFrom()
                .uni(wantedMore <= 0 ? Uni.createFrom().item(List.<StreamSlot>of()) : moreSlots.apply(wantedMore))
                .onItem()
                .transformToMulti(more -> {
                    synchronized (held) {
                        held.addAll(more);
                    }
                    int parallel = 1 + more.size();
                    return Multi.createFrom()
                            .range(0, total)
                            .onItem()
                            .transformToMulti(i -> question(prepared, questions.get(i), i)
                                    .invoke(indexed -> counts.count(indexed.event())))
                            .merge(parallel);
                })
                .concatenate();
        Multi<Indexed> end = Multi.createFrom()
                .uni(Uni.createFrom().deferred(releaseAll::get).map(v -> new Indexed(null, counts.done(total))));
        return Multi.createBy()
                .concatenating()
                .streams(questionsEvents, end)
                .onTermination()
                .invoke(() -> releaseAll.get().subscribe().with(v -> {}));
    }

    private Multi<Indexed> question(Uni<PreparedAnalysis> prepared, AnalysisService.CheckedQuestion checked, int i) {
        Uni<PreparedAnalysis> own = prepared.map(
                p -> new PreparedAnalysis(p.session(), checked.question(), p.privacy(), checked.analyst(), p.recent()));
        return analyses.stream(own, () -> Uni.createFrom().voidItem()).map(event -> new Indexed(i, event));
    }

    /** How the questions ended. */
    private static final class Counts {
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger declined = new AtomicInteger();

        void count(AnalysisEvent event) {
            switch (event) {
                case AnalysisEvent.Done done ->
                    (done.answer().clarification() != null ? declined : answered).incrementAndGet();
                case AnalysisEvent.Error error ->
                    (ProblemType.QUESTION_NOT_UNDERSTOOD.uri().equals(error.type()) ? declined : failed)
                            .incrementAndGet();
                default -> {}
            }
        }

        AnalysisEvent.BatchDone done(int total) {
            return new AnalysisEvent.BatchDone(total, answered.get(), failed.get(), declined.get());
        }
    }
}
