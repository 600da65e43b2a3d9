package io.llmanalytics.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A failing test's message ends with what the service logged at WARN and above while the test ran (every test, by
 * JUnit's extension autodetection). The build log keeps only failures' messages (the service's own log goes to a file
 * per test class), so a test that got a 500 or a timeout says why, not only that it did.
 */
public final class ServerLogOnFailure implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    static final int MAX_RECORDS = 12;
    static final int MAX_FRAMES = 8;
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ServerLogOnFailure.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        Capture capture = new Capture();
        Logger.getLogger("").addHandler(capture);
        context.getStore(NAMESPACE).put(Capture.class, capture);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Capture capture = context.getStore(NAMESPACE).remove(Capture.class, Capture.class);
        if (capture != null) {
            Logger.getLogger("").removeHandler(capture);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Capture capture = context.getStore(NAMESPACE).get(Capture.class, Capture.class);
        String logged = capture == null ? "" : capture.text();
        if (logged.isEmpty()) {
            throw failure;
        }
        throw explained(failure, logged);
    }

    /** The failure with the log appended to its message: an assertion stays an assertion, at the same line. */
    static Throwable explained(Throwable failure, String logged) {
        String note = "\n--- the service logged during this test ---\n" + logged;
        if (failure instanceof AssertionError) {
            AssertionError explained = new AssertionError(failure.getMessage() + note, failure.getCause());
            explained.setStackTrace(failure.getStackTrace());
            return explained;
        }
        failure.addSuppressed(new Throwable(note));
        return failure;
    }

    /** The last {@link #MAX_RECORDS} records at WARN and above, each with its exception's causes and first frames. */
    static final class Capture extends Handler {

        private final Deque<String> records = new ArrayDeque<>();
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() < Level.WARNING.intValue()) {
                return;
            }
            String text = describe(record);
            synchronized (records) {
                records.addLast(text);
                if (records.size() > MAX_RECORDS) {
                    records.removeFirst();
                }
            }
        }

        String text() {
            synchronized (records) {
                return String.join("\n", records);
            }
        }

        private String describe(LogRecord record) {
            String message =
                    record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : formatter.formatMessage(record);
            StringBuilder text = new StringBuilder()
                    .append(record.getLevel())
                    .append(' ')
                    .append(record.getLoggerName())
                    .append(": ")
                    .append(message);
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                text.append("\n  ")
                        .append(t == record.getThrown() ? "" : "caused by ")
                        .append(t);
                if (t.getCause() == null) {
                    StackTraceElement[] frames = t.getStackTrace();
                    for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
                        text.append("\n    at ").append(frames[i]);
                    }
                }
            }
            return text.toString();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
