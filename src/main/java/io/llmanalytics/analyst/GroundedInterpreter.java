package io.llmanalytics.analyst;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Interpretation with the grounding guarantee, for any {@link Analyst}: streams the analyst's tokens, checks every
 * number of the finished text against the result, regenerates once with the unsupported numbers pointed out, and
 * falls back to {@link FallbackInterpretation} when the second text is still ungrounded or when the analyst fails
 * (LLM unreachable, timeout...). The stream therefore never fails because of the model: it ends with exactly one
 * {@link InterpretationEvent.Final}. Cancelling it cancels the model call.
 */
@ApplicationScoped
public class GroundedInterpreter {

    private final LlmMetrics metrics;

    public GroundedInterpreter(LlmMetrics metrics) {
        this.metrics = metrics;
    }

    public Multi<InterpretationEvent> interpret(Analyst analyst, InterpretationRequest request) {
        return Multi.createFrom().deferred(() -> {
            Progress progress = new Progress();
            Multi<InterpretationEvent> rounds = round(analyst, request, 1, progress)
                    .onFailure()
                    .recoverWithMulti(failure -> failed(request, failure, progress));
            Multi<InterpretationEvent> safety = Multi.createFrom()
                    .deferred(() -> progress.finished
                            ? Multi.createFrom().empty()
                            : failed(
                                    request,
                                    new IllegalStateException("the interpretation stream ended without an answer"),
                                    progress));
            return Multi.createBy().concatenating().streams(rounds, safety);
        });
    }

    private Multi<InterpretationEvent> round(Analyst analyst, InterpretationRequest request, int n, Progress progress) {
        progress.rounds = n;
        progress.streamed = false;
        return analyst.interpret(request).onItem().transformToMultiAndConcatenate(chunk -> {
            if (chunk instanceof InterpretationChunk.Delta delta) {
                progress.streamed = true;
                return Multi.createFrom().item(new InterpretationEvent.Delta(delta.text()));
            }
            InterpretationChunk.Completed completed = (InterpretationChunk.Completed) chunk;
            progress.usage = progress.usage.plus(completed.usage());
            Grounding grounding =
                    GroundingChecker.check(completed.text(), request.result(), request.summary(), request.question());
            if (grounding.ok()) {
                progress.finished = true;
                return Multi.createFrom()
                        .item(new InterpretationEvent.Final(
                                completed.text(), grounding, false, null, progress.usage, completed.model(), n));
            }
            InterpretationEvent retracted = new InterpretationEvent.Retracted(grounding.ungrounded());
            if (n == 1) {
                Log.debugf(
                        "Interpretation stated %d unsupported numbers; regenerating",
                        grounding.ungrounded().size());
                return Multi.createBy()
                        .concatenating()
                        .streams(
                                Multi.createFrom().item(retracted),
                                round(analyst, request.correcting(grounding.ungrounded()), 2, progress));
            }
            progress.finished = true;
            metrics.fallback("ungrounded");
            String reason = "The model's explanation stated numbers the result does not support ("
                    + String.join(", ", grounding.ungrounded()) + "), even after a correction.";
            return Multi.createFrom()
                    .items(
                            retracted,
                            new InterpretationEvent.Final(
                                    FallbackInterpretation.describe(request.result(), request.summary()),
                                    grounding,
                                    true,
                                    reason,
                                    progress.usage,
                                    completed.model(),
                                    n));
        });
    }

    private Multi<InterpretationEvent> failed(InterpretationRequest request, Throwable failure, Progress progress) {
        if (progress.finished) {
            return Multi.createFrom().failure(failure);
        }
        progress.finished = true;
        metrics.fallback("failed");
        ProblemException problem = ProblemFailures.find(failure);
        String reason = problem != null
                ? problem.getMessage()
                : "The interpretation failed (" + failure.getClass().getSimpleName() + ").";
        Log.infof("Interpretation replaced by the fallback: %s", reason);
        String text = FallbackInterpretation.describe(request.result(), request.summary());
        InterpretationEvent fin = new InterpretationEvent.Final(
                text,
                GroundingChecker.check(text, request.result(), request.summary(), request.question()),
                true,
                reason,
                progress.usage,
                null,
                progress.rounds);
        return progress.streamed
                ? Multi.createFrom().items(new InterpretationEvent.Retracted(List.of()), fin)
                : Multi.createFrom().item(fin);
    }

    /** The state of one interpretation across its rounds. */
    private static final class Progress {
        volatile boolean streamed;
        volatile boolean finished;
        volatile int rounds;
        volatile TokenUsage usage = TokenUsage.NONE;
    }
}
