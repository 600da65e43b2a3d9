package io.llmanalytics.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FallbackInterpretationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void describesScalars() throws Exception {
        assertEquals("The result is 1,234.57.", FallbackInterpretation.describe(json("1234.5678")));
        assertEquals("The result is 42.", FallbackInterpretation.describe(json("42")));
        assertEquals("The result is 0.0123.", FallbackInterpretation.describe(json("0.0123456")));
        assertEquals("The answer is yes.", FallbackInterpretation.describe(json("true")));
        assertEquals("The result is “Electronics”.", FallbackInterpretation.describe(json("\"Electronics\"")));
        assertEquals("The code ran but produced no result.", FallbackInterpretation.describe(json("null")));
        assertEquals("The code ran but produced no result.", FallbackInterpretation.describe(null));
    }

    @Test
    void describesSeriesAndTables() throws Exception {
        assertEquals(
                "The result lists 3 values of revenue; the highest is 700 (Electronics) and the lowest is"
                        + " 100 (Toys).",
                FallbackInterpretation.describe(json("""
                        {"type": "series", "name": "revenue", "data": {"Electronics": 700, "Furniture": 200,
                         "Toys": 100}, "length": 3, "truncated": false}""")));
        assertEquals(
                "The result is a table of 120 rows and 2 columns (region, sales); only its first rows are shown.",
                FallbackInterpretation.describe(json("""
                        {"type": "dataframe", "columns": ["region", "sales"], "data": [{"region": "N", "sales": 1},
                         {"region": "S", "sales": 2}], "shape": [120, 2], "truncated": true, "total_rows": 120}""")));
        assertEquals(
                "The result is a table of 1 row and 2 columns (region, sales); its row has region = N,"
                        + " sales = 1.5.",
                FallbackInterpretation.describe(json("""
                        {"type": "dataframe", "columns": ["region", "sales"], "data": [{"region": "N", "sales": 1.5}],
                         "shape": [1, 2], "truncated": false, "total_rows": 1}""")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1234.5678",
                "-0.000123456",
                "98765432.1",
                "[1.5, 2.25, 3.125, 4]",
                "{\"a\": 1.005, \"b\": 2}",
                "\"2023-01-31\"",
                "{\"type\": \"series\", \"data\": [[\"2021-01\", 3.14159], [\"2021-02\", 2.71828]], \"length\": 40}",
                "{\"type\": \"series\", \"data\": {\"x\": \"a\", \"y\": \"b\"}, \"length\": 2}",
                "{\"type\": \"dataframe\", \"columns\": [\"q\"], \"data\": [], \"shape\": [0, 1], \"total_rows\": 0}",
                "{\"type\": \"ndarray\", \"shape\": [3], \"data\": [0.5, 1.5, 2.5]}",
                "{\"type\": \"object\", \"class\": \"builtins.range\", \"repr\": \"range(0, 10)\"}"
            })
    void isAlwaysGroundedInItsResult(String result) throws Exception {
        JsonNode node = json(result);
        String text = FallbackInterpretation.describe(node);
        Grounding grounding = GroundingChecker.check(text, node, null);
        assertTrue(grounding.ok(), text + " -> " + grounding);
    }
}
