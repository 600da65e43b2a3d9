package io.llmanalytics.sources;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Turns what a database said into a problem: unreachable 503 and credentials refused 502 (both naming the source,
 * never its host, user or password), timeout 504, a write refused by the read-only transaction or a query the
 * database rejects 400 with the database's reason (cleaned of the connection's secrets).
 */
final class SourceFailures {

    private SourceFailures() {}

    static ProblemException of(Source source, SQLException e, boolean timedOut) {
        String state = state(e);
        int code = e.getErrorCode();
        if (timedOut || "57014".equals(state) || "70100".equals(state) || code == 1969 || code == 3024) {
            return timeout(source);
        }
        if (state.startsWith("28") || code == 1045 || code == 1044) {
            return new ProblemException(
                    ProblemType.SOURCE_CREDENTIALS_REFUSED,
                    "The database of source '"
                            + source.name()
                            + "' refused the credentials the operator configured for it. Ask the operator"
                            + " to check its user name and password.");
        }
        if ("25006".equals(state) || code == 1792 || code == 1290) {
            return new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "The query tries to change the database; source '" + source.name()
                            + "' is read-only. Send one SELECT statement.");
        }
        if (state.startsWith("42") || state.startsWith("22") || state.startsWith("0A") || state.startsWith("21")) {
            return new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "The database of source '" + source.name() + "' refused the query: "
                            + clean(source, e.getMessage()));
        }
        if (source.kind() == SourceKind.SQLITE
                && e.getMessage() != null
                && e.getMessage().contains("SQLITE_ERROR")) {
            return new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "The database of source '" + source.name() + "' refused the query: "
                            + clean(source, e.getMessage()));
        }
        return unreachable(source);
    }

    static ProblemException unreachable(Source source) {
        return new ProblemException(
                ProblemType.SOURCE_UNAVAILABLE,
                "The database of source '" + source.name()
                        + "' cannot be reached or stopped answering. Try again later; if it persists, ask the operator.");
    }

    static ProblemException timeout(Source source) {
        return new ProblemException(
                ProblemType.SOURCE_TIMEOUT,
                "The query on source '" + source.name()
                        + "' did not finish within the statement timeout (SOURCES_QUERY_TIMEOUT) and was cancelled."
                        + " Select fewer rows or columns, or filter on an indexed column.");
    }

    private static String state(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s.getSQLState() != null) {
                return s.getSQLState().toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }

    /** {@code message} without the source's secrets, on one line, at most 300 characters. */
    static String clean(Source source, String message) {
        String text = message == null ? "no reason given" : message.strip();
        for (String secret : source.secrets()) {
            text = text.replace(secret, "***");
        }
        text = text.replaceAll("\\s+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
