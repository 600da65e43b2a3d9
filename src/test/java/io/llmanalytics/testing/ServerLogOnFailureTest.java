package io.llmanalytics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ServerLogOnFailureTest {

    @Test
    void everyTestHasItsServiceLogCapturedByAutodetection() {
        assertTrue(
                Arrays.stream(Logger.getLogger("").getHandlers())
                        .anyMatch(h -> h instanceof ServerLogOnFailure.Capture),
                "junit.jupiter.extensions.autodetection.enabled and META-INF/services register the extension");
    }

    @Test
    void keepsTheLastWarningsWithTheirCauseAndFirstFrames() {
        ServerLogOnFailure.Capture capture = new ServerLogOnFailure.Capture();
        capture.publish(new LogRecord(Level.INFO, "not kept"));
        for (int i = 0; i < ServerLogOnFailure.MAX_RECORDS + 2; i++) {
            capture.publish(new LogRecord(Level.WARNING, "warning " + i));
        }
        LogRecord error = new LogRecord(Level.SEVERE, "Analysis of session {0} failed");
        error.setParameters(new Object[] {"s1"});
        error.setLoggerName("io.llmanalytics.analysis.AnalysisRun");
        error.setThrown(new IllegalStateException("outer", new NullPointerException("inner")));
        capture.publish(error);

        String text = capture.text();
        assertFalse(text.contains("not kept"), text);
        assertFalse(text.contains("warning 2\n"), "only the last records: " + text);
        assertTrue(text.contains("warning " + (ServerLogOnFailure.MAX_RECORDS + 1)), text);
        assertTrue(text.contains("SEVERE io.llmanalytics.analysis.AnalysisRun: Analysis of session s1 failed"), text);
        assertTrue(text.contains("java.lang.IllegalStateException: outer"), text);
        assertTrue(text.contains("caused by java.lang.NullPointerException: inner"), text);
        assertTrue(
                text.contains("at io.llmanalytics.testing.ServerLogOnFailureTest"), "the root cause's frames: " + text);
        assertEquals(
                ServerLogOnFailure.MAX_RECORDS,
                text.lines().filter(l -> !l.startsWith(" ")).count(),
                text);
    }

    @Test
    void anAssertionKeepsItsLineAndGainsTheLog() {
        AssertionError failure = new AssertionError("Expected status code <200> but was <500>.");
        Throwable explained = ServerLogOnFailure.explained(failure, "SEVERE x: it broke");
        assertInstanceOf(AssertionError.class, explained);
        assertTrue(explained.getMessage().startsWith("Expected status code <200> but was <500>."));
        assertTrue(explained.getMessage().endsWith("SEVERE x: it broke"), explained.getMessage());
        assertEquals(Arrays.asList(failure.getStackTrace()), Arrays.asList(explained.getStackTrace()));

        IllegalStateException error = new IllegalStateException("boom");
        Throwable same = ServerLogOnFailure.explained(error, "SEVERE x: it broke");
        assertSame(error, same);
        assertTrue(same.getSuppressed()[0].getMessage().contains("it broke"));
    }
}
