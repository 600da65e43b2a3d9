package io.llmanalytics.analyst;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * The one way numbers are written for people, by every narrator and interpretation (the offline analyst's {@code
 * Narrator} and {@code Describe}, and {@link FallbackInterpretation}), so that a number reads the same whichever
 * analyst answered. The rule:
 *
 * <ul>
 * <li>Whole numbers: every digit, thousands separated by commas, no ".0": {@code 1,234,567}, {@code -42}, {@code 0}
 *     (also for negative zero).</li>
 * <li>Other numbers of magnitude 10,000 or more: rounded half up to a whole number: {@code 27,202} for 27,201.73.</li>
 * <li>Other numbers of magnitude one or more: rounded half up to two decimals, trailing zeros dropped: {@code
 *     1,234.57}, {@code 2.5}, {@code -3.14}; {@code 2.999} becomes {@code 3}.</li>
 * <li>Magnitude below one: three significant digits, trailing zeros dropped: {@code 0.333}, {@code 0.0123}, {@code
 *     -0.5}; {@code 0.99999} becomes {@code 1}.</li>
 * <li>Never scientific notation, whatever the magnitude ({@code 1e20} is written with all its digits), because the
 *     grounding check reads digits, separators and one decimal point only.</li>
 * <li>Not-a-number is never shown as a number: {@code NaN} is "no value", infinities "infinity" and "minus
 *     infinity".</li>
 * <li>Percentages ({@link #percent}): one decimal at most, then {@code %}: {@code 12.5%}, {@code 40%}.</li>
 * </ul>
 *
 * Every number written this way is grounded by {@link GroundingChecker} against the value it was written from: a
 * stated number matches within a unit of its last digit.
 */
public final class Numbers {

    /** What a NaN reads as. */
    public static final String NO_VALUE = "no value";

    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.ROOT);
    /** From this magnitude on, decimals are noise for a reader: numbers are rounded to whole ones. */
    private static final double LARGE = 10_000;

    private static final MathContext BELOW_ONE = new MathContext(3, RoundingMode.HALF_UP);

    private Numbers() {}

    /** A count or any whole number: thousands separated. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A number for people, by the rule of this class. */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return NO_VALUE;
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "infinity" : "minus infinity";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(v);
        double magnitude = Math.abs(v);
        BigDecimal rounded = magnitude < 1
                ? exact.round(BELOW_ONE)
                : exact.setScale(magnitude < LARGE ? 2 : 0, RoundingMode.HALF_UP);
        return grouped(rounded.stripTrailingZeros());
    }

    /** A percentage (already times 100) for people: one decimal at most, then {@code %}. */
    public static String percent(double v) {
        if (!Double.isFinite(v)) {
            return number(v);
        }
        BigDecimal rounded = new BigDecimal(v).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros();
        return grouped(rounded) + "%";
    }

    private static String grouped(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        DecimalFormat format = new DecimalFormat("#,##0", SYMBOLS);
        format.setMaximumFractionDigits(Math.max(0, value.scale()));
        format.setRoundingMode(RoundingMode.UNNECESSARY);
        return format.format(value);
    }
}
