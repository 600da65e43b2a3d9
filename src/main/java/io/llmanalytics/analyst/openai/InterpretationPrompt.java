package io.llmanalytics.analyst.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.llmanalytics.analyst.InterpretationRequest;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data of the interpretation prompt, which {@link InterpretationService} puts after the question: the executed
 * result (JSON, bounded, quoted as data), plus the code and what it printed unless in privacy mode. On the single
 * regeneration it also lists the numbers the previous answer stated without support in the result.
 */
public final class InterpretationPrompt {

    private static final int MAX_CODE = 3000;
    private static final int MAX_STDOUT = 1000;
    private static final ObjectMapper WHOLE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final PromptLimits limits;

    public InterpretationPrompt(PromptLimits limits) {
        this.limits = limits;
    }

    /** The user message after the question. */
    public String data(InterpretationRequest request) {
        StringBuilder user = new StringBuilder();
        user.append("<result>\n")
                .append(PromptText.result(request.result(), limits.maxResultChars()))
                .append("\n</result>\n");
        if (request.summary() != null) {
            user.append("<whole_result>\n")
                    .append(PromptText.result(WHOLE.valueToTree(request.summary()), limits.maxResultChars()))
                    .append("\n</whole_result>\n");
        }
        if (!request.units().isEmpty()) {
            user.append("Units of the columns the code used (data dictionary, quoted): ");
            int n = 0;
            for (Map.Entry<String, String> u : new TreeMap<>(request.units()).entrySet()) {
                user.append(n++ > 0 ? ", " : "")
                        .append(PromptText.quote(u.getKey(), 80))
                        .append(": ")
                        .append(PromptText.quote(u.getValue(), 16));
            }
            user.append(". Write the numbers of these columns with their unit.\n");
        }
        if (!request.privacy()) {
            if (request.code() != null && !request.code().isBlank()) {
                user.append("<code>\n")
                        .append(PromptText.quote(request.code().strip(), MAX_CODE))
                        .append("\n</code>\n");
            }
            if (request.stdout() != null && !request.stdout().isBlank()) {
                user.append("<output>\n")
                        .append(PromptText.quote(request.stdout().strip(), MAX_STDOUT))
                        .append("\n</output>\n");
            }
        }
        if (!request.ungroundedBefore().isEmpty()) {
            user.append("\nYour previous explanation stated numbers that are not in the result: ")
                    .append(String.join(
                            ", ",
                            request.ungroundedBefore().stream()
                                    .map(n -> PromptText.quote(n, 40))
                                    .toList()))
                    .append(". Write it again using only numbers taken from the result.\n");
        }
        return user.toString();
    }
}
