package io.llmanalytics.analyst.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.analyst.ResultSummary;

/**
 * What one step of a multi-step analysis came to.
 *
 * @param step its number, from 1
 * @param goal what it was to compute
 * @param code the code of its last attempt (null when none was written)
 * @param result its typed result (null when it failed)
 * @param summary the worker's facts of the whole result (null when none)
 * @param error why it failed (null when it succeeded)
 */
public record StepOutcome(int step, String goal, String code, JsonNode result, ResultSummary summary, String error) {

    public boolean succeeded() {
        return error == null && result != null;
    }

    /** The name its result has in later steps' code. */
    public String variable() {
        return "step" + step;
    }
}
