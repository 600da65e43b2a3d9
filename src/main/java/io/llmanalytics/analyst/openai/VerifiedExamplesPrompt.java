package io.llmanalytics.analyst.openai;

import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.VerifiedExample;
import java.util.List;

/**
 * The {@code <verified_examples>} block of the code-generation prompt: questions close to the new one whose answers a
 * person verified, with their code, quoted as JSON strings like every other piece of data (a question that reads like
 * an instruction stays a quoted value).
 */
final class VerifiedExamplesPrompt {

    /** Most examples shown, whatever the request carries. */
    static final int MAX_EXAMPLES = 3;

    private static final int MAX_QUESTION_CHARS = 1000;

    private VerifiedExamplesPrompt() {}

    /** Appends the block, or nothing when the request has no examples. */
    static void append(StringBuilder out, CodeRequest request, int maxCodeChars) {
        List<VerifiedExample> examples = request.examples();
        if (examples.isEmpty()) {
            return;
        }
        out.append("<verified_examples>\nQuestions close to the new one whose answers a person verified as right,")
                .append(
                        " with their code (examples of how this data is read; adapt them, the new question may differ):\n");
        for (int i = 0; i < Math.min(MAX_EXAMPLES, examples.size()); i++) {
            VerifiedExample example = examples.get(i);
            out.append(i + 1)
                    .append(". Question: ")
                    .append(PromptText.quote(example.question(), MAX_QUESTION_CHARS))
                    .append('\n')
                    .append("   Code: ")
                    .append(PromptText.quote(
                            example.code() == null ? "" : example.code().strip(), maxCodeChars))
                    .append('\n');
        }
        out.append("</verified_examples>\n\n");
    }
}
