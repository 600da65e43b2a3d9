package io.llmanalytics.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What interpretation needs: the question and the executed result.
 *
 * @param question the user's question
 * @param result the worker's typed result JSON (scalar, string, list, dict, {@code {type: series, ...}},
 *        {@code {type: dataframe, ...}}); {@code null} becomes JSON null
 * @param code the code that produced it (left out of the prompt in privacy mode); may be null
 * @param stdout what the code printed, or null (left out in privacy mode)
 * @param privacy whether only the computed result, bounded, may reach the LLM
 * @param ungroundedBefore numbers a previous interpretation stated without support in the result; non-empty asks the
 *        model to correct itself (the single regeneration of {@link GroundedInterpreter})
 * @param summary the worker's facts of the whole result (count, total, highest, lowest, first, last over every row,
 *        not only the sample in {@code result}); null when it sent none
 * @param units the units of the columns the code uses, by column (from the data dictionary; "€", "%")
 */
public record InterpretationRequest(
        String question,
        JsonNode result,
        String code,
        String stdout,
        boolean privacy,
        List<String> ungroundedBefore,
        ResultSummary summary,
        Map<String, String> units) {

    /** A request without units. */
    public InterpretationRequest(
            String question,
            JsonNode result,
            String code,
            String stdout,
            boolean privacy,
            List<String> ungroundedBefore,
            ResultSummary summary) {
        this(question, result, code, stdout, privacy, ungroundedBefore, summary, Map.of());
    }

    public InterpretationRequest {
        Objects.requireNonNull(question, "question");
        result = result == null ? NullNode.getInstance() : result;
        ungroundedBefore = ungroundedBefore == null ? List.of() : List.copyOf(ungroundedBefore);
        units = units == null ? Map.of() : Map.copyOf(units);
    }

    public static InterpretationRequest of(
            String question, JsonNode result, String code, String stdout, boolean privacy) {
        return new InterpretationRequest(question, result, code, stdout, privacy, List.of(), null);
    }

    /** The same request with the worker's facts of the whole result ({@code null}: none). */
    public InterpretationRequest withSummary(ResultSummary wholeResult) {
        return new InterpretationRequest(question, result, code, stdout, privacy, ungroundedBefore, wholeResult, units);
    }

    /**
     * The same request with the units of the columns its code uses (column → unit, from the data dictionary), for
     * the explanation to write their numbers with.
     */
    public InterpretationRequest withUnits(Map<String, String> byColumn) {
        return new InterpretationRequest(question, result, code, stdout, privacy, ungroundedBefore, summary, byColumn);
    }

    /** The same request, asking to correct the numbers {@code ungrounded}. */
    public InterpretationRequest correcting(List<String> ungrounded) {
        return new InterpretationRequest(question, result, code, stdout, privacy, ungrounded, summary, units);
    }
}
