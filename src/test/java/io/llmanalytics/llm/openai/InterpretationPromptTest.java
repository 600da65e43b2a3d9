package io.llmanalytics.llm.openai;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.llmanalytics.llm.InterpretationRequest;

class InterpretationPromptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final InterpretationPrompt prompts = new InterpretationPrompt(new PromptLimits(5, 80, 300, 200, 2000, 3));

    @Test
    void givesTheQuestionResultCodeAndOutput() throws Exception {
        InterpretationRequest request = InterpretationRequest.of("Revenue by category?",
                JSON.readTree("{\"type\":\"series\",\"data\":{\"A\":1.5,\"<b>\":2}}"), "result = df.sum()",
                "debug line", false);
        ChatPrompt p = prompts.build(request);
        assertTrue(p.user().startsWith("Question: Revenue by category?\n"), p.user());
        assertTrue(p.user().contains("<result>\n{\"type\":\"series\",\"data\":{\"A\":1.5,\"\\u003Cb\\u003E\":2}}\n"
                + "</result>"), p.user());
        assertTrue(p.user().contains("<code>\n\"result = df.sum()\"\n</code>"), p.user());
        assertTrue(p.user().contains("<output>\n\"debug line\"\n</output>"), p.user());
        assertTrue(p.system().contains("State only numbers that appear in the result"), p.system());
    }

    @Test
    void privacyModeSendsOnlyTheBoundedResult() {
        ArrayNode big = JSON.createArrayNode();
        for (int i = 0; i < 500; i++) {
            big.add(i * 1.5);
        }
        ChatPrompt p = prompts.build(InterpretationRequest.of("Values?", big, "result = df['secret'].tolist()",
                "printed secret", true));
        assertFalse(p.user().contains("secret"), p.user());
        assertTrue(p.user().contains("…[result cut: "), p.user());
        assertTrue(p.user().length() < 600, "bounded: " + p.user().length());
    }

    @Test
    void pointsOutUngroundedNumbersOnRegeneration() throws Exception {
        ChatPrompt p = prompts.build(InterpretationRequest.of("Total?", JSON.readTree("42"), null, null, false)
                .correcting(List.of("12%", "43")));
        assertTrue(p.user().contains("Your previous explanation stated numbers that are not in the result: \"12%\","
                + " \"43\". Write it again using only numbers taken from the result."), p.user());
    }
}
