package io.llmanalytics.analyst.openai;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.PreviousAttempt;
import io.llmanalytics.analyst.TestDatasets;
import io.llmanalytics.dataset.SharedColumn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The candidate join keys in the code-generation prompt. */
class SharedColumnsPromptTest {

    private final CodeGenerationPrompt prompts = new CodeGenerationPrompt(PromptLimits.defaults());
    private final SharedColumn key =
            new SharedColumn("sales", "order_id", "returns", "order_id", "int64", 1000, 40, 38, 0.95, true, false);

    @Test
    void joinKeysAreListedWithTheirOverlapAndSurviveARetry() {
        CodeRequest request = CodeRequest.first(
                        "Revenue of returned orders?",
                        List.of(TestDatasets.sales(), TestDatasets.returns()),
                        List.of(),
                        false)
                .withSharedColumns(List.of(key));
        String user = prompts.data(request);
        assertTrue(user.contains("<shared_columns>\n"), user);
        assertTrue(
                user.contains("- \"sales\".\"order_id\" ~ \"returns\".\"order_id\": int64, overlap 95% (38 common of"
                        + " 1000 and 40 distinct)\n"),
                user);
        assertTrue(user.indexOf("</dataset>") < user.indexOf("<shared_columns>"), "after the datasets");
        CodeRequest retry = request.retry(
                new PreviousAttempt("result = 1/0", PreviousAttempt.Failure.EXECUTION, "ZeroDivisionError"));
        assertTrue(prompts.data(retry).contains("<shared_columns>"), "a repair keeps the join keys");
        // counts only: also in privacy mode
        CodeRequest privately = new CodeRequest("q", request.datasets(), List.of(), true, 1, null, List.of(key));
        assertTrue(prompts.data(privately).contains("overlap 95%"));
    }

    @Test
    void oneDatasetOrNoKeysMeansNoBlock() {
        assertFalse(prompts.data(CodeRequest.first("q", List.of(TestDatasets.sales()), List.of(), false)
                        .withSharedColumns(List.of(key)))
                .contains("<shared_columns>"));
        assertFalse(prompts.data(
                        CodeRequest.first("q", List.of(TestDatasets.sales(), TestDatasets.returns()), List.of(), false))
                .contains("<shared_columns>"));
    }
}
