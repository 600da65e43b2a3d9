package io.llmanalytics.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one number formatter: its rule, and that the grounding check accepts every number it writes. */
class NumbersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void wholeNumbersHaveSeparatorsAndNoDecimalPoint() {
        assertEquals("0", Numbers.number(0.0));
        assertEquals("0", Numbers.number(-0.0));
        assertEquals("7", Numbers.number(7.0));
        assertEquals("1,234,567", Numbers.number(1_234_567.0));
        assertEquals("-42", Numbers.number(-42.0));
        assertEquals("-1,000", Numbers.number(-1000.0));
        assertEquals("12,345", Numbers.number(12_345L));
        assertEquals("100,000,000,000,000,000,000", Numbers.number(1e20), "no scientific notation");
    }

    @Test
    void numbersFromOneUpHaveAtMostTwoDecimalsAndFromTenThousandNone() {
        assertEquals("2.5", Numbers.number(2.5));
        assertEquals("3.14", Numbers.number(3.14159));
        assertEquals("-3.14", Numbers.number(-3.14159));
        assertEquals("1,234.57", Numbers.number(1234.5678));
        assertEquals("9,999.99", Numbers.number(9_999.994));
        assertEquals("12,346", Numbers.number(12_345.5), "from 10,000 on: whole numbers");
        assertEquals("-1,234,568", Numbers.number(-1_234_567.8));
        assertEquals("3", Numbers.number(2.999), "rounded to a whole number: no .0");
        assertEquals("1", Numbers.number(1.005), "half up on the exact binary value, 1.00499999...");
    }

    @Test
    void numbersBelowOneHaveThreeSignificantDigits() {
        assertEquals("0.333", Numbers.number(1.0 / 3));
        assertEquals("0.0123", Numbers.number(0.012345));
        assertEquals("-0.5", Numbers.number(-0.5));
        assertEquals("1", Numbers.number(0.99999));
        assertEquals("0.0000000001", Numbers.number(1e-10), "no scientific notation");
    }

    @Test
    void notANumberIsNeverWrittenAsOne() {
        assertEquals("no value", Numbers.number(Double.NaN));
        assertEquals("infinity", Numbers.number(Double.POSITIVE_INFINITY));
        assertEquals("minus infinity", Numbers.number(Double.NEGATIVE_INFINITY));
        assertEquals("no value", Numbers.percent(Double.NaN));
    }

    @Test
    void percentagesHaveOneDecimalAtMost() {
        assertEquals("12.5%", Numbers.percent(12.5));
        assertEquals("40%", Numbers.percent(40.0));
        assertEquals("33.3%", Numbers.percent(100.0 / 3));
        assertEquals("1,250%", Numbers.percent(1250.0));
    }

    @Test
    void theGroundingCheckAcceptsEveryNumberTheFormatterWrites() throws Exception {
        Random random = new Random(15);
        for (int i = 0; i < 2000; i++) {
            double magnitude = Math.pow(10, random.nextInt(20) - 8);
            double v = (random.nextDouble() * 2 - 1) * magnitude;
            if (i % 5 == 0) {
                v = Math.rint(v);
            }
            JsonNode result = JSON.readTree(JSON.writeValueAsString(v));
            String text = "The result is " + Numbers.number(v) + ".";
            Grounding grounding = GroundingChecker.check(text, result, null);
            assertTrue(grounding.ok(), v + " written as " + text + ": " + grounding);
        }
    }

    @Test
    void aNanIsNotAFigureTheCheckerReads() throws Exception {
        JsonNode result = JSON.readTree("null");
        Grounding grounding = GroundingChecker.check("The result is " + Numbers.number(Double.NaN) + ".", result, null);
        assertTrue(grounding.ok(), grounding.toString());
        assertFalse(Numbers.number(Double.NaN).matches(".*\\d.*"));
    }
}
