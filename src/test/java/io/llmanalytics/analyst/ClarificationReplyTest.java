package io.llmanalytics.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link CodeExtractor#clarification} reads a model's clarifying question, and refuses a malformed one. */
class ClarificationReplyTest {

    @Test
    void aJsonFenceOrAWholeJsonAnswerIsAClarification() {
        Clarification fenced = CodeExtractor.clarification("""
                        Here is my question:
                        ```json
                        {"clarification": {"question": "Which city?", "options": ["Revenue by store_city", "Revenue by customer_city"]}}
                        ```""").orElseThrow();
        assertEquals("Which city?", fenced.question());
        assertEquals(List.of("Revenue by store_city", "Revenue by customer_city"), fenced.options());
        Clarification bare = CodeExtractor.clarification(
                        "{\"clarification\": {\"question\": \"Which year?\", \"options\": [\"Total in 2023\", \"Total in 2024\"]}}")
                .orElseThrow();
        assertEquals(2, bare.options().size());
    }

    @Test
    void codeIsNoClarification() {
        assertTrue(CodeExtractor.clarification("```python\nresult = df['clarification'].sum()\n```")
                .isEmpty());
        assertTrue(CodeExtractor.clarification("```json\n{\"a\": 1}\n```").isEmpty());
        assertTrue(CodeExtractor.clarification(null).isEmpty());
    }

    @Test
    void malformedClarificationsAreRefused() {
        for (String reply : List.of(
                "```json\n{\"clarification\": {\"question\": \"Which?\", \"options\": [\"only one\"]}}\n```",
                "```json\n{\"clarification\": {\"question\": \"Which?\", \"options\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]}}\n```",
                "```json\n{\"clarification\": {\"question\": \"Which?\", \"options\": [\"a\", 2]}}\n```",
                "```json\n{\"clarification\": \"which one?\"}\n```",
                "```json\n{\"clarification\": {\"question\": \"Which?\", \"options\": [\"a\", \"b\"\n```",
                "```json\n{\"clarification\": {\"question\": \"Which?\", \"options\": [\"a\", \"" + "x".repeat(400)
                        + "\"]}}\n```")) {
            CodeExtractor.MalformedClarification e = assertThrows(
                    CodeExtractor.MalformedClarification.class, () -> CodeExtractor.clarification(reply), reply);
            assertFalse(e.getMessage().contains("xxxx"), "the reason never quotes the model");
        }
    }

    @Test
    void optionsAreCleanedAndDeduplicated() {
        Clarification c = Clarification.of("  Which\none? ", List.of("a\u0007 b", "A B", "c"))
                .orElseThrow();
        assertEquals("Which one?", c.question());
        assertEquals(List.of("a b", "c"), c.options());
        assertTrue(Clarification.of("Which?", List.of("a", "A")).isEmpty(), "one distinct option is no choice");
    }
}
