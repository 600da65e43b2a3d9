package io.llmanalytics.problem;

import io.smallrye.mutiny.CompositeException;

/** Finds the problem behind a wrapped failure. */
public final class ProblemFailures {

    private ProblemFailures() {}

    /**
     * The first {@link ProblemException} in the cause chain, or {@code null}. A Mutiny {@link CompositeException} (a
     * failure followed by a failing clean-up, say) is searched through every one of its causes, in order.
     */
    public static ProblemException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException p) {
                return p;
            }
            if (t instanceof CompositeException composite) {
                for (Throwable cause : composite.getCauses()) {
                    ProblemException p = cause == t ? null : find(cause);
                    if (p != null) {
                        return p;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
