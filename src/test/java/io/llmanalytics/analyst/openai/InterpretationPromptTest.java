package io.llmanalytics.analyst.openai;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llmanalytics.analyst.InterpretationRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterpretationPromptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final InterpretationPrompt prompts = new InterpretationPrompt(new PromptLimits(5, 80, 300, 200, 2000, 3));

    @Test
    void givesTheResultCodeAndOutput() throws Exception {
        InterpretationRequest request = InterpretationRequest.of(
                "Revenue by category?",
                JSON.readTree("{\"type\":\"series\",\"data\":{\"A\":1.5,\"<b>\":2}}"),
                "result = df.sum()",
                "debug line",
                false);
        String p = prompts.data(request);
        assertTrue(p.startsWith("<result>\n"), "the question comes first in the template: " + p);
        assertTrue(
                p.contains(
                        "<result>\n{\"type\":\"series\",\"data\":{\"A\":1.5,\"\\u003Cb\\u003E\":2}}\n" + "</result>"),
                p);
        assertTrue(p.contains("<code>\n\"result = df.sum()\"\n</code>"), p);
        assertTrue(p.contains("<output>\n\"debug line\"\n</output>"), p);
    }

    @Test
    void privacyModeSendsOnlyTheBoundedResult() {
        ArrayNode big = JSON.createArrayNode();
        for (int i = 0; i < 500; i++) {
            big.add(i * 1.5);
        }
        String p = prompts.data(
                InterpretationRequest.of("Values?", big, "result = df['secret'].tolist()", "printed secret", true));
        assertFalse(p.contains("secret"), p);
        assertTrue(p.contains("…[result cut: "), p);
        assertTrue(p.length() < 600, "bounded: " + p.length());
    }

    @Test
    void pointsOutUngroundedNumbersOnRegeneration() throws Exception {
        String p = prompts.data(InterpretationRequest.of("Total?", JSON.readTree("42"), null, null, false)
                .correcting(List.of("12%", "43")));
        assertTrue(
                p.contains("Your previous explanation stated numbers that are not in the result: \"12%\","
                        + " \"43\". Write it again using only numbers taken from the result."),
                p);
    }
}
