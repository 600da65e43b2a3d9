package io.llmanalytics.problem;

import io.smallrye.mutiny.CompositeException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Finds the problem behind a wrapped failure. */
public final class ProblemFailures {

    private ProblemFailures() {}

    /**
     * The first {@link ProblemException} in the cause chain, or {@code null}. A Mutiny {@link CompositeException} (a
     * failure followed by a failing clean-up, say) is searched through every one of its causes, in order, once each; a
     * chain that loops back on itself ends the search.
     */
    public static ProblemException find(Throwable failure) {
        return find(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static ProblemException find(Throwable failure, Set<Throwable> seen) {
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ProblemException p) {
                return p;
            }
            if (t instanceof CompositeException composite) {
                for (Throwable cause : composite.getCauses()) {
                    ProblemException p = find(cause, seen);
                    if (p != null) {
                        return p;
                    }
                }
                return null;
            }
        }
        return null;
    }
}
