package io.llmanalytics.upload;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;

/**
 * One rule for numbers in every reader: a value the upload accepts is a value the worker loads identically. A number
 * that is not a finite 64-bit float (an overflowing literal such as {@code 1e999999}, {@code inf}, {@code Infinity},
 * JSON's non-standard {@code NaN}) is refused with a 400 naming where it is and the value, because pandas cannot load
 * it as a number (an overflowing literal makes {@code read_csv} fail on a float column) and an infinity silently turns
 * every sum, mean and ratio over its column into inf or NaN. Text that pandas reads as a missing value ({@code NaN},
 * {@code NA}, an empty cell in CSV; {@code null} in JSON) stays a missing value. Underflow ({@code 1e-999999}) is 0.0,
 * in Java and in pandas alike.
 */
public final class NumberRules {

    private static final int SHOWN = 40;

    private NumberRules() {}

    /** Whether {@code text} (a number as written) reads as a finite double. */
    public static boolean finite(String text) {
        try {
            String t = text.strip();
            return Double.isFinite(Double.parseDouble(t.startsWith("+") ? t.substring(1) : t));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The 400 for a number that is not finite; {@code where} names the record or row and the field or column. */
    public static ProblemException notFinite(String where, String text) {
        String shown = text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
        return new ProblemException(
                ProblemType.NUMBER_OUT_OF_RANGE,
                where + ": " + shown + " is "
                        + (text.strip().matches("[+-]?(?i:nan)")
                                ? "not a number"
                                : "outside the range of a 64-bit float (about ±1.8e308)")
                        + "; numbers must be finite to be analysed. Leave the value empty (null in JSON) if it is missing, "
                        + "or write it within range (in JSON, a string in quotes keeps it as text).");
    }

    /** A field or column name for a message, quoted and cut. */
    public static String quoted(String name) {
        String n = name == null ? "" : name;
        return "'" + (n.length() > SHOWN ? n.substring(0, SHOWN) + "..." : n) + "'";
    }
}
