package io.llmanalytics.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroundingCheckerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Grounding check(String text, String result) {
        return GroundingChecker.check(text, json(result), "What is it?");
    }

    @Test
    void acceptsRoundedAndScaledScalars() {
        String result = "1234567.891";
        assertTrue(check("Total revenue is 1,234,567.89.", result).ok());
        assertTrue(check("Total revenue is $1,234,568.", result).ok());
        assertTrue(check("Revenue reached about 1.2 million.", result).ok());
        assertTrue(check("Revenue reached $1.23M.", result).ok());
        assertTrue(check("Revenue reached 1,235k.", result).ok());
        assertTrue(check("Revenue reached roughly 1,200,000.", result).ok());
    }

    @Test
    void flagsInventedNumbers() {
        Grounding g =
                check("Total revenue is 1,234,567.89, up 12% on last year and 3 times the 2019 figure.", "1234567.891");
        assertFalse(g.ok());
        assertEquals(List.of("12%", "3", "2019"), g.ungrounded());
        assertFalse(check("Revenue reached about 1.3 million.", "1234567.891").ok());
        assertFalse(check("The average is 42.", "41.2").ok());
    }

    @Test
    void acceptsSharesDifferencesAndRatiosOfASeries() {
        String series = """
                {"type": "series", "name": "revenue", "dtype": "float64",
                 "data": {"Electronics": 700.0, "Furniture": 200.0, "Toys": 100.0}, "length": 3, "truncated": false}
                """;
        assertTrue(check("Electronics leads with 700, which is 70% of the 1,000 total.", series)
                .ok());
        assertTrue(check("Electronics earns 500 more than Furniture, 3.5 times as much.", series)
                .ok());
        assertTrue(check("The top two categories make up 90% of revenue; Toys is 10 percent.", series)
                .ok());
        assertTrue(check("Furniture is 100% above Toys.", series).ok());
        assertTrue(check("The average category earns 333.33.", series).ok());
        assertTrue(check("There are 3 categories.", series).ok());
        Grounding wrong = check("Electronics is 75% of the total.", series);
        assertEquals(List.of("75%"), wrong.ungrounded());
    }

    @Test
    void readsFractionsAsPercentages() {
        assertTrue(check("The conversion rate is 12.5%.", "0.125").ok());
        assertTrue(check("The conversion rate is 12.5 percent.", "0.125").ok());
        assertFalse(check("The conversion rate is 15%.", "0.125").ok());
    }

    @Test
    void readsTablesByColumnAndCounts() {
        String frame = """
                {"type": "dataframe", "columns": ["region", "sales", "orders"],
                 "dtypes": {"region": "object", "sales": "int64", "orders": "int64"},
                 "data": [{"region": "North", "sales": 1500, "orders": 30},
                          {"region": "South", "sales": 500, "orders": 10}],
                 "shape": [120, 3], "truncated": true, "total_rows": 120}
                """;
        assertTrue(check("The table has 120 rows; North sold 1,500 in 30 orders, three times South's 500.", frame)
                .ok());
        // the two rows shown are a sample of 120: their total and shares are not facts of the result
        assertFalse(check("Together they sold 2,000, North holding 75%.", frame).ok());
        assertTrue(
                check(
                                "Together they sold 2,000, North holding 75%.",
                                frame.replace("\"truncated\": true", "\"truncated\": false")
                                        .replace("120", "2"))
                        .ok(),
                "a whole table's total and shares are");
        Grounding g = check("Sales are stored as int64 and total 64.", frame);
        assertEquals(List.of("64"), g.ungrounded());
    }

    @Test
    void ignoresOrdinalsLabelsAndListMarkersButChecksDates() {
        String series = """
                {"type": "series", "data": {"2023-01-31": 10, "2023-02-28": 14}, "length": 2, "truncated": false}
                """;
        assertTrue(check("1. In 2023, sales rose from 10 in January to 14 on 2023-02-28, the 2nd month of Q1.", series)
                .ok());
        Grounding g = check("Sales peaked on 2024-05-01.", series);
        assertEquals(List.of("2024-05-01"), g.ungrounded());
    }

    @Test
    void acceptsNumbersFromTheQuestionAndCodeSpans() {
        JsonNode result = json("{\"type\": \"series\", \"data\": {\"a\": 5.5, \"b\": 4.5}, \"length\": 2}");
        assertTrue(GroundingChecker.check(
                        "The top 5 list shows a at 5.5 (`df.nlargest(7)`).", result, "What are the top 5?")
                .ok());
        assertFalse(GroundingChecker.check("The top 7 list shows a at 5.5.", result, "What are the top 5?")
                .ok());
    }

    @Test
    void acceptsDecreasesAsNegativeDifferencesAndNullResults() {
        String list = "[120, 115]";
        assertTrue(check("It fell by 5, from 120 to 115.", list).ok());
        assertTrue(check("There is no result.", "null").ok());
        assertTrue(check("", "42").ok());
        assertFalse(check("The result is 7.", "null").ok());
    }
}
