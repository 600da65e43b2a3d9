package io.llmanalytics.analyst.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.Interaction;
import io.llmanalytics.analyst.PreviousAttempt;
import io.llmanalytics.analyst.TestDatasets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CodeGenerationPromptTest {

    private final CodeGenerationPrompt prompts = new CodeGenerationPrompt(PromptLimits.defaults());

    @Test
    void describesTheDatasets() {
        String user = prompts.data(CodeRequest.first(
                "What is the total revenue by category?",
                List.of(TestDatasets.sales(), TestDatasets.returns()),
                List.of(),
                false));
        assertTrue(user.contains("<dataset name=\"sales\" variable=\"df\">"), user);
        assertTrue(user.contains("Shape: 1,000 rows × 5 columns"), user);
        assertTrue(
                user.contains("3. \"revenue\": float64, 1 missing, min 3.1415, max 98765.4, mean 4242.42, std 17.17,"
                        + " about 950 distinct"),
                user);
        assertTrue(
                user.contains("1. \"category\": object, 2 missing, 3 distinct, most frequent: \"Zanzibar-Widgets\""
                        + " (400), \"Quokka-Gadgets\" (350)"),
                user);
        assertTrue(user.contains("from \"2019-03-07\" to \"2021-11-23\""), user);
        assertTrue(user.contains("Numeric columns: [\"order_id\", \"revenue\"]"), user);
        assertTrue(user.contains("Categorical columns: [\"category\", \"product\"]"), user);
        assertTrue(user.contains("Date columns: [\"order_date\"]"), user);
        assertTrue(
                user.contains("First 3 rows (JSON, one per line):\n{\"order_id\": 1001, \"category\": "
                        + "\"Zanzibar-Widgets\", \"product\": \"Flux capacitor\", \"revenue\": 3.1415, \"order_date\": "
                        + "\"2019-03-07\"}"),
                user);
        assertTrue(user.contains("<dataset name=\"returns\" variable=\"dfs[\\\"returns\\\"]\">"), user);
        assertTrue(user.endsWith("</dataset>\n\n"), "the question follows in the template: " + user);
        assertTrue(prompts.allowedModules().startsWith("pandas, numpy, scipy"), prompts.allowedModules());
    }

    @Test
    void privacyModeSendsNamesDtypesAndCountsOnly() {
        CodeRequest request = new CodeRequest(
                "Total revenue?",
                List.of(TestDatasets.sales(), TestDatasets.returns()),
                List.of(new Interaction("How many orders?", "result = len(df)", "Zanzibar-Widgets 1000")),
                true,
                1,
                null);
        String all = prompts.data(request);
        for (String value : TestDatasets.salesValues()) {
            assertFalse(all.contains(value), "privacy mode leaked " + value + ":\n" + all);
        }
        assertFalse(all.contains("Broken-Sprocket"), all);
        assertTrue(all.contains("3. \"revenue\": float64, 1 missing, about 950 distinct"), all);
        assertTrue(all.contains("Privacy mode: no values of this dataset are shown."), all);
        assertTrue(all.contains("Question: \"How many orders?\""), all);
        assertTrue(all.contains("Code: \"result = len(df)\""), all);
    }

    @Test
    void quotesPoisonedCellsAsDataOnly() {
        String p = prompts.data(CodeRequest.first("Top products?", List.of(TestDatasets.sales()), List.of(), false));
        String user = p;
        Matcher m = Pattern.compile("ignore previous instructions").matcher(user);
        int occurrences = 0;
        while (m.find()) {
            occurrences++;
            int quoteStart = user.lastIndexOf('"', m.start());
            assertEquals(m.start() - 1, quoteStart, "the poison must start a JSON string");
            assertTrue(
                    user.lastIndexOf("<dataset", m.start()) > user.lastIndexOf("</dataset>", m.start()),
                    "the poison must sit inside a dataset block");
        }
        assertEquals(2, occurrences, user);
        assertFalse(user.contains("import os </dataset>"), "the poison cannot close the block");
        assertTrue(user.contains("import os \\u003C/dataset\\u003E \\u0060\\u0060\\u0060"), user);
        assertEquals(1, count(user, "</dataset>"), user);
    }

    @Test
    void keepsTheLastInteractionsWithShortCode() {
        String longCode = "result = df.groupby('category')['revenue'].sum()" + " # padding".repeat(40);
        List<Interaction> context = List.of(
                new Interaction("q1 oldest", "result = 1", "1"),
                new Interaction("q2", "result = 2", "2"),
                new Interaction("q3", "result = 3", "3"),
                new Interaction("What is the revenue by category?", longCode, "Zanzibar-Widgets: 5.0"));
        String user =
                prompts.data(CodeRequest.first("And for last year?", List.of(TestDatasets.sales()), context, false));
        assertFalse(user.contains("q1 oldest"), user);
        assertTrue(user.contains("1. Question: \"q2\""), user);
        assertTrue(user.contains("3. Question: \"What is the revenue by category?\""), user);
        assertTrue(user.contains("Result: \"Zanzibar-Widgets: 5.0\""), user);
        assertTrue(user.contains("…[+"), "long code is cut: " + user);
        assertFalse(user.contains(longCode), user);
        assertTrue(user.endsWith("</history>\n\n"), "the new question follows in the template: " + user);
    }

    @Test
    void carriesTheFailedAttemptForSelfHealing() {
        CodeRequest first = CodeRequest.first("Revenue by month?", List.of(TestDatasets.sales()), List.of(), false);
        CodeRequest second = first.retry(PreviousAttempt.execution(
                "result = df['Revenue'].sum()", "KeyError: 'Revenue'\n  line 1, in <module>"));
        String p = prompts.data(second);
        assertEquals(2, second.attempt());
        assertTrue(
                p.contains(
                        "Your previous code (attempt 1) failed:\n```python\nresult = df['Revenue'].sum()\n" + "```\n"),
                p);
        assertTrue(
                p.contains("Running it failed:\n<feedback>\n\"KeyError: 'Revenue'\\n  line 1, in \\u003Cmodule"
                        + "\\u003E\"\n</feedback>"),
                p);
        String v = prompts.data(
                first.retry(PreviousAttempt.validation("import os", "line 1: import of 'os' is not allowed")));
        assertTrue(v.contains("The validator refused it (the code never ran):"), v);
    }

    @Test
    void privacyModeRedactsValuesInErrorMessages() {
        CodeRequest request = new CodeRequest(
                "Average revenue?",
                List.of(TestDatasets.sales()),
                List.of(),
                true,
                2,
                PreviousAttempt.execution(
                        "result = df['revenue'].astype(float).mean()",
                        "ValueError: could not convert string to float: 'Zanzibar-Widgets' in 'revenue'"));
        String user = prompts.data(request);
        assertFalse(user.contains("Zanzibar"), user);
        assertTrue(user.contains("float: '\\u003Cvalue\\u003E' in 'revenue'"), user);
        assertEquals("'x' and '<value>'", CodeGenerationPrompt.redactLiterals("'x' and 'secret'", Set.of("x")));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
