package io.llmanalytics.schema;

import java.util.Set;

/**
 * Classifies cell text the way pandas 1.5.3's default CSV reader does: its missing-value tokens, its integer, float
 * and boolean grammars (surrounding whitespace allowed for numbers), plus unambiguous date formats (ISO 8601 and US
 * month-first) that pandas parses when asked with {@code parse_dates}. Allocation-free on the hot path.
 */
public final class CellClassifier {

    /** pandas' default {@code na_values}. */
    public static final Set<String> NA_TOKENS = Set.of(
            "",
            "#N/A",
            "#N/A N/A",
            "#NA",
            "-1.#IND",
            "-1.#QNAN",
            "-NaN",
            "-nan",
            "1.#IND",
            "1.#QNAN",
            "<NA>",
            "N/A",
            "NA",
            "NULL",
            "NaN",
            "None",
            "n/a",
            "nan",
            "null");

    private CellClassifier() {}

    /**
     * Classifies text written with a decimal comma ({@code 12,5}), as pandas does with {@code decimal=','}: a dot
     * then makes a number text.
     */
    public static CellKind classify(String s, boolean decimalComma) {
        if (!decimalComma) {
            return classify(s);
        }
        if (s.indexOf('.') >= 0) {
            CellKind kind = classify(s);
            return kind == CellKind.DATE || kind == CellKind.NULL ? kind : CellKind.TEXT;
        }
        return classify(s.indexOf(',') >= 0 ? s.replace(',', '.') : s);
    }

    /** The numeric value of a cell classified INT or FLOAT in the given decimal convention. */
    public static double toDouble(String s, boolean decimalComma) {
        return toDouble(decimalComma ? s.replace(',', '.') : s);
    }

    public static boolean isNa(String s) {
        return s.isEmpty() || (s.length() <= 8 && NA_TOKENS.contains(s));
    }

    public static CellKind classify(String s) {
        if (isNa(s)) {
            return CellKind.NULL;
        }
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return CellKind.TEXT;
        }
        char c = s.charAt(start);
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
            CellKind number = number(s, start, end);
            if (number != null) {
                return number;
            }
            if (start == 0 && end == s.length() && DateFormats.match(s) != null) {
                return CellKind.DATE;
            }
            return CellKind.TEXT;
        }
        if (isBool(s)) {
            return CellKind.BOOL;
        }
        if (c == 'i' || c == 'I') {
            return isInfinity(s, start, end) ? CellKind.FLOAT : CellKind.TEXT;
        }
        return CellKind.TEXT;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    public static boolean isBool(String s) {
        return switch (s) {
            case "True", "TRUE", "true", "False", "FALSE", "false" -> true;
            default -> false;
        };
    }

    public static boolean parseBool(String s) {
        return s.charAt(0) == 'T' || s.charAt(0) == 't';
    }

    /** INT, BIG_INT, CODE or FLOAT when {@code s[start, end)} is a number; null otherwise. */
    private static CellKind number(String s, int start, int end) {
        int i = start;
        char first = s.charAt(i);
        boolean signed = first == '+' || first == '-';
        if (signed) {
            i++;
            if (i < end && (s.charAt(i) == 'i' || s.charAt(i) == 'I')) {
                return isInfinity(s, i, end) ? CellKind.FLOAT : null;
            }
        }
        int intStart = i;
        while (i < end && isDigit(s.charAt(i))) {
            i++;
        }
        int intDigits = i - intStart;
        if (i == end) {
            if (intDigits == 0) {
                return null;
            }
            if (intDigits > 1 && s.charAt(intStart) == '0') {
                return CellKind.CODE;
            }
            return intDigits < 19 || fitsLong(s, start, end) ? CellKind.INT : CellKind.BIG_INT;
        }
        int fracDigits = 0;
        if (s.charAt(i) == '.') {
            i++;
            int fracStart = i;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
            }
            fracDigits = i - fracStart;
        }
        if (intDigits + fracDigits == 0) {
            return null;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expStart = i;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == expStart) {
                return null;
            }
        }
        return i == end ? CellKind.FLOAT : null;
    }

    private static boolean fitsLong(String s, int start, int end) {
        try {
            Long.parseLong(s.substring(s.charAt(start) == '+' ? start + 1 : start, end));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isInfinity(String s, int start, int end) {
        String word = s.substring(start, end);
        return word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("infinity");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The numeric value of a cell classified INT or FLOAT. */
    public static double toDouble(String s) {
        String t = s.strip();
        char c = t.charAt(t.charAt(0) == '+' || t.charAt(0) == '-' ? 1 : 0);
        if (c == 'i' || c == 'I') {
            return t.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(t);
    }

    /** The value of a cell classified INT. */
    public static long toLong(String s) {
        String t = s.strip();
        return Long.parseLong(t.charAt(0) == '+' ? t.substring(1) : t);
    }
}
