package io.llmanalytics.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Grounding and the fallback text over a result cut to its sample: the worker's facts of the whole result decide
 * highest, lowest, totals and counts; aggregates of the sample are never evidence.
 */
class WholeResultGroundingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A series of 10 days of which the client got the first 4 (Mon to Thu: 10, 20, 30, 40). */
    private static JsonNode sample() throws Exception {
        return JSON.readTree("""
                {"type": "series", "name": "revenue", "dtype": "float64", "length": 10, "truncated": true,
                 "data": {"Mon": 10, "Tue": 20, "Wed": 30, "Thu": 40}}""");
    }

    /** The worker's facts: total 1,234, highest 500 on 2024-01-08, lowest 2 on 2024-01-09, last 77. */
    private static ResultSummary whole() throws Exception {
        return ResultSummary.of(JSON.readTree("""
                {"rows": 10, "columns": [{"name": "revenue", "count": 10, "sum": 1234, "mean": 123.4,
                  "min": 2, "min_label": "2024-01-09T00:00:00", "min_ties": 1, "max": 500,
                  "max_label": "2024-01-08T00:00:00", "max_ties": 1, "first": 10, "first_label": "Mon",
                  "last": 77, "last_label": "2024-01-10T00:00:00"}]}""")).orElseThrow();
    }

    @Test
    void numbersOfTheSampleAloneAreNotGrounded() throws Exception {
        JsonNode r = sample();
        ResultSummary w = whole();
        // the sample's total (100), mean (25) and length (4) are not facts of the result
        for (String text : List.of(
                "Revenue totals 100.",
                "Revenue averages 25 a day.",
                "There are 4 days.",
                "The highest day, Thu, had 40 and the total is 100.")) {
            Grounding g = GroundingChecker.check(text, r, w, "total revenue per day");
            assertFalse(g.ok(), text);
        }
        // even without the facts, the sample's aggregates are not evidence
        assertFalse(GroundingChecker.check("Revenue totals 100.", r, null, "q").ok());
        // a number in neither
        assertFalse(GroundingChecker.check("Revenue totals 4,321.", r, w, "q").ok());
    }

    @Test
    void factsOfTheWholeResultAreGrounded() throws Exception {
        JsonNode r = sample();
        ResultSummary w = whole();
        for (String text : List.of(
                "Revenue totals 1,234 over 10 days.",
                "The best day was 2024-01-08 with 500.",
                "The worst day was 2024-01-09 with 2.",
                "Revenue averages 123.4 a day.",
                "It went from 10 on Mon to 77 on 2024-01-10.",
                "The best day brought 40.5% of the total.",
                "A day of the sample had 30.")) {
            Grounding g = GroundingChecker.check(text, r, w, "total revenue per day");
            assertTrue(g.ok(), text + " " + g.ungrounded());
        }
        // the date of the highest day lies beyond the sample: grounded only through the facts
        assertFalse(GroundingChecker.check("The best day was 2024-01-08.", r, null, "q")
                .ok());
    }

    @Test
    void theFallbackNamesTheWholeResultsExtremesAndIsGrounded() throws Exception {
        JsonNode r = sample();
        ResultSummary w = whole();
        String text = FallbackInterpretation.describe(r, w);
        assertEquals(
                "The result lists 10 values of revenue; the highest is 500 (2024-01-08T00:00:00) and the lowest"
                        + " is 2 (2024-01-09T00:00:00).",
                text);
        assertTrue(GroundingChecker.check(text, r, w, null).ok(), text);
        // without the facts it never claims the sample's extremes are the result's, nor states the sample's size
        String plain = FallbackInterpretation.describe(r);
        assertTrue(plain.contains("among the values shown"), plain);
        assertTrue(GroundingChecker.check(plain, r, null, null).ok(), plain);
    }

    @Test
    void aCutTableStatesItsColumnsExtremesFromTheFacts() throws Exception {
        ObjectNode frame = (ObjectNode) JSON.readTree("""
                {"type": "dataframe", "columns": ["day", "revenue"], "dtypes": {"day": "object", "revenue": "float64"},
                 "data": [{"day": "Mon", "revenue": 10}, {"day": "Tue", "revenue": 20}],
                 "shape": [7, 2], "truncated": true, "total_rows": 7}""");
        ResultSummary w = ResultSummary.of(JSON.readTree("""
                {"rows": 7, "columns": [{"name": "revenue", "count": 7, "sum": 700, "mean": 100, "min": 1,
                 "min_label": "Sun", "max": 300, "max_label": "Fri", "first": 10, "first_label": "Mon",
                 "last": 5, "last_label": "Sun"}]}""")).orElseThrow();
        String text = FallbackInterpretation.describe(frame, w);
        assertTrue(text.contains("The highest revenue is 300 (Fri) and the lowest 1 (Sun)."), text);
        assertFalse(text.contains("first 2"), "the sample's size is not stated: " + text);
        assertTrue(GroundingChecker.check(text, frame, w, null).ok(), text);
        assertFalse(
                GroundingChecker.check("The 2 rows total 30.", frame, w, null).ok());
    }

    @Test
    void theSummaryIsReadAsTheWorkerWritesIt() throws Exception {
        assertTrue(ResultSummary.of(null).isEmpty());
        assertTrue(ResultSummary.of(JSON.readTree("{\"columns\": []}")).isEmpty());
        ResultSummary empty = ResultSummary.of(
                        JSON.readTree("{\"rows\": 2, \"columns\": [{\"name\": null, \"count\": 0}]}"))
                .orElseThrow();
        assertFalse(empty.columns().get(0).hasValues());
        assertNull(empty.columns().get(0).max());
        assertEquals(500.0, whole().column("revenue").orElseThrow().max());
        assertEquals(500.0, whole().column("other").orElseThrow().max(), "the only column");
    }

    @Test
    void theModelsReadingLineIsFoundAmongTheFirstLines() {
        assertEquals(
                "sum of revenue per region, 2024 only",
                CodeExtractor.reading("# Reading: sum of revenue per region, 2024 only\nresult = 1"));
        assertEquals(
                "rows with the highest revenue",
                CodeExtractor.reading("import math\n## reading:  rows with the " + "highest revenue  \nresult = 1"));
        assertNull(CodeExtractor.reading("# total revenue\nresult = 1"));
        assertNull(CodeExtractor.reading("# Reading:   \nresult = 1"));
        assertNull(CodeExtractor.reading("a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n# Reading: too late\nresult = 1"));
        assertNull(CodeExtractor.reading(null));
    }
}
