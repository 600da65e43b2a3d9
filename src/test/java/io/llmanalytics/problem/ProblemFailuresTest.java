package io.llmanalytics.problem;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.smallrye.mutiny.CompositeException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProblemFailuresTest {

    private final ProblemException problem = new ProblemException(ProblemType.NOT_FOUND, "The session does not exist.");

    @Test
    void findsAProblemWrappedInPlainCauses() {
        assertSame(problem, ProblemFailures.find(new IllegalStateException(new RuntimeException(problem))));
    }

    @Test
    void findsAProblemBehindTheFirstCauseOfAComposite() {
        CompositeException composite = new CompositeException(new IOException("clean-up failed"), problem);
        assertSame(problem, ProblemFailures.find(new RuntimeException(composite)));
    }

    @Test
    void theFirstProblemOfACompositeWins() {
        ProblemException second = new ProblemException(ProblemType.NOT_FOUND, "Another.");
        assertSame(problem, ProblemFailures.find(new CompositeException(problem, second)));
    }

    @Test
    void aFailureWithoutAProblemGivesNone() {
        assertNull(ProblemFailures.find(new CompositeException(new IOException("a"), new IOException("b"))));
        assertNull(ProblemFailures.find(null));
    }

    @Test
    void aCauseChainThatLoopsEndsTheSearch() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertNull(ProblemFailures.find(a));
    }
}
