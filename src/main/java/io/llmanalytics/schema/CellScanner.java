package io.llmanalytics.schema;

/**
 * Classifies a cell and reads its value in one scan: the kind ({@link CellClassifier}'s rules) and, for numbers, the
 * value (exact: whole decimal strings of up to 15 significant digits use the correctly rounded fast path, others
 * {@link Double#parseDouble}); for dates, the epoch milliseconds and the format family. One per builder: not
 * thread-safe, allocation-free for ordinary cells.
 */
final class CellScanner {

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    private final boolean decimalComma;
    private double value;
    private long integer;
    private long millis;
    private DateFormats.Family family;

    CellScanner(boolean decimalComma) {
        this.decimalComma = decimalComma;
    }

    double value() {
        return value;
    }

    /** The exact value of the last cell scanned as {@link CellKind#INT}. */
    long integer() {
        return integer;
    }

    long millis() {
        return millis;
    }

    DateFormats.Family family() {
        return family;
    }

    /** What a scan found: the cell's kind and the values read with it (those its kind does not use are stale). */
    record Scan(CellKind kind, double value, long integer, long millis, DateFormats.Family family) {}

    /** The scan just made, of kind {@code kind}, to be {@linkplain #restore restored} for an equal cell. */
    Scan saved(CellKind kind) {
        return new Scan(kind, value, integer, millis, family);
    }

    /** Leaves this scanner as {@code scan} left it; its kind. */
    CellKind restore(Scan scan) {
        value = scan.value();
        integer = scan.integer();
        millis = scan.millis();
        family = scan.family();
        return scan.kind();
    }

    /** Whether the cell is one of pandas' missing-value tokens (or empty): {@link #scan} gives NULL exactly then. */
    static boolean isNull(String s) {
        int n = s.length();
        return n == 0 || (n <= 8 && maybeNa(s, n) && CellClassifier.NA_TOKENS.contains(s));
    }

    CellKind scan(String s) {
        int n = s.length();
        if (isNull(s)) {
            return CellKind.NULL;
        }
        int start = 0;
        int end = n;
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
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || (decimalComma && c == ',')) {
            CellKind number = number(s, start, end);
            if (number != null) {
                return number;
            }
            if (start == 0 && end == n) {
                long t = DateFormats.parse(s);
                if (t != Long.MIN_VALUE) {
                    millis = t;
                    family = DateFormats.family(s);
                    return CellKind.DATE;
                }
            }
            return CellKind.TEXT;
        }
        if (CellClassifier.isBool(s)) {
            return CellKind.BOOL;
        }
        if ((c == 'i' || c == 'I') && infinity(s, start, end)) {
            value = Double.POSITIVE_INFINITY;
            return CellKind.FLOAT;
        }
        return CellKind.TEXT;
    }

    /**
     * Whether {@code s} (of length {@code n}, 1 to 8) can be one of the tokens: the tokens starting with a digit or a
     * sign ({@code 1.#IND}, {@code -1.#QNAN}, {@code -NaN}) are told from numbers by one more character, so that
     * numbers are not looked up; those starting with a letter have at most 4 characters, so that words like
     * {@code North} are not looked up either.
     */
    private static boolean maybeNa(String s, int n) {
        char c = s.charAt(0);
        return switch (c) {
            case 'N', 'n' -> n <= 4;
            case '#', '<' -> true;
            case '1' -> n >= 6 && s.charAt(2) == '#';
            case '-' -> n >= 4 && (s.charAt(1) == 'N' || s.charAt(1) == 'n' || (n >= 7 && s.charAt(3) == '#'));
            default -> false;
        };
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private CellKind number(String s, int start, int end) {
        char point = decimalComma ? ',' : '.';
        char other = decimalComma ? '.' : ',';
        int i = start;
        boolean negative = false;
        char first = s.charAt(i);
        if (first == '+' || first == '-') {
            negative = first == '-';
            i++;
            if (i < end && (s.charAt(i) == 'i' || s.charAt(i) == 'I')) {
                if (infinity(s, i, end)) {
                    value = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                    return CellKind.FLOAT;
                }
                return null;
            }
        }
        int intStart = i;
        long mantissa = 0;
        int digits = 0;
        while (i < end) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            if (digits < 18) {
                mantissa = mantissa * 10 + (c - '0');
            }
            if (digits > 0 || c != '0') {
                digits++;
            }
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
            if (intDigits >= 19) {
                if (!fitsLong(s, start, end)) {
                    return CellKind.BIG_INT;
                }
                integer = Long.parseLong(s.substring(s.charAt(start) == '+' ? start + 1 : start, end));
            } else {
                integer = negative ? -mantissa : mantissa;
            }
            value = digits <= 15 ? (negative ? -mantissa : mantissa) : parse(s, start, end);
            return CellKind.INT;
        }
        int fracDigits = 0;
        int scale = 0;
        char c = s.charAt(i);
        if (c == other) {
            return null;
        }
        if (c == point) {
            i++;
            int fracStart = i;
            while (i < end) {
                char d = s.charAt(i);
                if (d < '0' || d > '9') {
                    break;
                }
                if (digits < 18) {
                    mantissa = mantissa * 10 + (d - '0');
                    scale++;
                }
                if (digits > 0 || d != '0') {
                    digits++;
                }
                i++;
            }
            fracDigits = i - fracStart;
        }
        if (intDigits + fracDigits == 0) {
            return null;
        }
        int exponent = 0;
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                expNegative = s.charAt(i) == '-';
                i++;
            }
            int expStart = i;
            while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (exponent < 10000) {
                    exponent = exponent * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            if (i == expStart) {
                return null;
            }
            exponent = expNegative ? -exponent : exponent;
        }
        if (i != end) {
            return null;
        }
        int power = exponent - scale;
        if (digits <= 15 && power >= -22 && power <= 22) {
            double m = negative ? -mantissa : mantissa;
            value = power >= 0 ? m * POW10[power] : m / POW10[-power];
        } else {
            value = parse(s, start, end);
        }
        return CellKind.FLOAT;
    }

    private double parse(String s, int start, int end) {
        String text = s.substring(start, end);
        if (decimalComma) {
            text = text.replace(',', '.');
        }
        return Double.parseDouble(text.charAt(0) == '+' ? text.substring(1) : text);
    }

    private static boolean fitsLong(String s, int start, int end) {
        try {
            Long.parseLong(s.substring(s.charAt(start) == '+' ? start + 1 : start, end));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean infinity(String s, int start, int end) {
        int len = end - start;
        return (len == 3 && s.regionMatches(true, start, "inf", 0, 3))
                || (len == 8 && s.regionMatches(true, start, "infinity", 0, 8));
    }
}
