package io.llmanalytics.problem;

import java.time.Duration;
import java.util.Optional;

/** A failure the API reports to its caller as a problem document. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null, null);
    }

    public ProblemException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem.detail(), cause, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public ProblemException(ProblemType type, String detail) {
        this(Problem.of(type, detail));
    }

    public ProblemException(ProblemType type, String detail, Throwable cause) {
        this(Problem.of(type, detail), null, cause);
    }

    public static ProblemException retryLater(ProblemType type, String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(type, detail), retryAfter, null);
    }

    public Problem problem() {
        return problem;
    }

    public ProblemType type() {
        for (ProblemType t : ProblemType.values()) {
            if (t.uri().equals(problem.type())) {
                return t;
            }
        }
        return ProblemType.forStatus(problem.status());
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
