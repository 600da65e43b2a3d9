package io.llmanalytics.upload.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.upload.NumberRules;
import java.io.IOException;

/**
 * How every JSON reader (JSON arrays, JSON Lines) reads numbers, so that both refuse the same values with the same
 * words: Jackson's number-length limit is set far above ours (the upload's size caps the file) so that a long number
 * reaches {@link #check} and is refused there with its place; NaN and Infinity tokens are read so that they can be
 * refused by name instead of as a syntax error.
 */
public final class JsonNumbers {

    /** Deepest nesting read; deeper JSON is refused as such. */
    public static final int MAX_DEPTH = 64;
    /** Longest number, in characters. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** The parser factory of every JSON reader. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private JsonNumbers() {}

    /**
     * Refuses the parser's current number when it is longer than {@value #MAX_NUMBER_LENGTH} characters or not a
     * finite double; {@code where} names its place ("record 3 (line 3), field 'price'").
     */
    public static void check(JsonParser parser, String where) throws IOException {
        String text = parser.getText();
        if (text.length() > MAX_NUMBER_LENGTH) {
            throw new ProblemException(
                    ProblemType.NUMBER_OUT_OF_RANGE,
                    where + ": a number of " + text.length()
                            + " characters (" + text.substring(0, 12) + "...) is longer than the " + MAX_NUMBER_LENGTH
                            + " characters a number may have; write it as a string in quotes to keep it as text, or round it.");
        }
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT && (parser.isNaN() || !NumberRules.finite(text))) {
            throw NumberRules.notFinite(where, text);
        }
    }
}
