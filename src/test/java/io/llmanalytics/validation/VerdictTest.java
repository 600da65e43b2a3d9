package io.llmanalytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void acceptedHasNoFeedback() {
        assertTrue(Verdict.accepted().ok());
        assertEquals("", Verdict.accepted().feedback());
        assertEquals(Verdict.accepted(), Verdict.of(List.of()));
    }

    @Test
    void feedbackIsOneParagraphWithLines() {
        Verdict verdict = Verdict.of(List.of(
                new Violation(
                        "forbidden-builtin", "`open()` is not available: the data is already loaded as `df`.", 2, 5),
                new Violation("result-missing", "The code never assigns `result`.", 1, 1)));
        assertEquals(
                "The validator refused the code: line 2: `open()` is not available: the data is already loaded"
                        + " as `df`; line 1: The code never assigns `result`.",
                verdict.feedback());
        assertEquals(Set.of("forbidden-builtin", "result-missing"), verdict.rules());
    }

    @Test
    void feedbackStaysShort() {
        List<Violation> many = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            many.add(new Violation(
                    "dunder",
                    "`__class__` is not available: double-underscore attributes cannot be"
                            + " used; work with the values directly.",
                    i,
                    1));
        }
        String feedback = Verdict.of(many).feedback();
        assertTrue(feedback.length() < 1600, feedback);
        assertTrue(feedback.endsWith("more of the same kind."), feedback);
    }

    @Test
    void okMustMatchViolations() {
        assertThrows(
                IllegalArgumentException.class, () -> new Verdict(true, List.of(new Violation("dunder", "x", 1, 1))));
        assertThrows(IllegalArgumentException.class, () -> new Verdict(false, List.of()));
    }
}
