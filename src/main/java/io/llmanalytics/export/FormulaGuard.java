package io.llmanalytics.export;

/**
 * Neutralises text that a spreadsheet program would run as a formula (CSV injection, OWASP): a text cell starting
 * with {@code = + - @}, a tab or a carriage return is prefixed with an apostrophe. Numbers are never touched, so a
 * negative number stays a number.
 */
public final class FormulaGuard {

    private FormulaGuard() {}

    public static String neutralise(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char c = text.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
    }
}
