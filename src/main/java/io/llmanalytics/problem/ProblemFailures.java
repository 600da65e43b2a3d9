package io.llmanalytics.problem;

/** Finds the problem behind a wrapped failure. */
public final class ProblemFailures {

    private ProblemFailures() {}

    /** The first {@link ProblemException} in the cause chain, or {@code null}. */
    public static ProblemException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException p) {
                return p;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
