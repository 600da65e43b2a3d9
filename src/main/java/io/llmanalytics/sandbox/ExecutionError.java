package io.llmanalytics.sandbox;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Why an execution failed: the Python exception type and message, and a traceback that shows only the analysis
 * code's own lines ({@code line} is the last of them, when known).
 */
@RegisterForReflection
public record ExecutionError(String type, String message, String traceback, Integer line) {

    static ExecutionError of(String type, String message) {
        return new ExecutionError(type, message, type + ": " + message, null);
    }
}
