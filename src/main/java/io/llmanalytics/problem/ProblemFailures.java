package io.llmanalytics.problem;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.CompositeException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Finds the problem behind a wrapped failure. */
public final class ProblemFailures {

    private ProblemFailures() {}

    /**
     * The problem a request that failed with {@code failure} answers with: the {@link ProblemException} among its
     * causes (logged when it is the service's fault, 5xx), or else an internal error, logged with its stack.
     */
    public static ProblemException answer(Throwable failure, String path) {
        ProblemException known = find(failure);
        if (known == null) {
            Log.errorf(failure, "Unexpected failure on %s", path);
            return new ProblemException(
                    ProblemType.INTERNAL, "The service failed unexpectedly; the error has been logged.");
        }
        if (known.problem().status() >= 500) {
            Log.warnf("%s %s: %s", known.problem().status(), path, known.getMessage());
        }
        return known;
    }

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
