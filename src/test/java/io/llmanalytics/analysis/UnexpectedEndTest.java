package io.llmanalytics.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.smallrye.mutiny.CompositeException;
import org.junit.jupiter.api.Test;

/** The error event a stream ends with when its run ended without one: what the client reads last. */
class UnexpectedEndTest {

    @Test
    void aKnownProblemIsPassedOnAsItIs() {
        ProblemException store =
                new ProblemException(ProblemType.STORE_UNAVAILABLE, "The store did not answer in 5 s.");
        AnalysisEvent.Error error =
                AnalysisService.unexpectedEnd(new CompositeException(new IllegalStateException("wrapped"), store));
        assertEquals("error", error.name());
        assertEquals(503, error.status());
        assertEquals("The store did not answer in 5 s.", error.detail());
    }

    @Test
    void anythingElseIsAnInternalErrorThatNamesNoInternals() {
        AnalysisEvent.Error error =
                AnalysisService.unexpectedEnd(new NullPointerException("secret.internal.Thing was null"));
        assertEquals(500, error.status());
        assertFalse(error.detail().contains("secret"), error.detail());
        assertEquals(500, AnalysisService.unexpectedEnd(null).status(), "a run that ended without any event");
    }
}
