package io.llmanalytics.verified;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ResultFingerprintTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void canonicalFormSortsKeysAndRoundsNumbers() throws Exception {
        assertEquals(
                "{\"a\":[1,2.5,\"x\"],\"b\":0.333333333}",
                ResultFingerprint.canonical(json("{\"b\": 0.33333333333, \"a\": [1.0, 2.50, \"x\"]}"), 9));
        assertEquals(
                ResultFingerprint.of(json("{\"x\": 3, \"y\": 1}"), 9),
                ResultFingerprint.of(json("{\"y\": 1.0000000001, \"x\": 3.0}"), 9));
        assertNotEquals(ResultFingerprint.of(json("3"), 9), ResultFingerprint.of(json("3.001"), 9));
        assertNotEquals(ResultFingerprint.of(json("\"3\""), 9), ResultFingerprint.of(json("3"), 9));
        assertTrue(ResultFingerprint.of(json("null"), 9).startsWith("sha256:"));
    }

    @Test
    void numbersEqualWithinTheToleranceAndTypesIgnored() throws Exception {
        JsonNode a = json("{\"type\":\"series\",\"dtype\":\"int64\",\"data\":{\"North\":15,\"South\":20}}");
        JsonNode b = json("{\"type\":\"series\",\"dtype\":\"float64\",\"data\":{\"North\":15.0000001,\"South\":20}}");
        assertTrue(ResultFingerprint.equalWithin(a, b, 1e-6));
        assertFalse(ResultFingerprint.equalWithin(a, b, 1e-10));
        assertFalse(ResultFingerprint.equalWithin(
                a, json("{\"type\":\"series\",\"dtype\":\"int64\",\"data\":{\"North\":16,\"South\":20}}"), 1e-6));
        assertFalse(ResultFingerprint.equalWithin(
                a, json("{\"type\":\"series\",\"dtype\":\"int64\",\"data\":{\"East\":15,\"South\":20}}"), 1e-6));
        assertFalse(ResultFingerprint.equalWithin(json("[1,2]"), json("[1,2,3]"), 1e-6));
        assertFalse(ResultFingerprint.equalWithin(json("1"), json("\"1\""), 1e-6));
    }

    @Test
    void questionsCloseByTheirWords() {
        assertEquals(
                "what is the total revenue by region",
                QuestionText.normalised("  What is the TOTAL revenue, by region?"));
        assertEquals(
                QuestionText.normalised("Total revenue by région?"),
                QuestionText.normalised("total revenue by region"));
        double close = QuestionText.similarity(
                "What is the total revenue by region?", "What is the total revenue by region in 2024?");
        double far = QuestionText.similarity("What is the total revenue by region?", "How many customers churned?");
        assertTrue(close >= 0.5, "close: " + close);
        assertTrue(far < 0.2, "far: " + far);
        assertEquals(1.0, QuestionText.similarity("Mean of 2.5 and x", "mean of 2.5 and X"));
    }
}
