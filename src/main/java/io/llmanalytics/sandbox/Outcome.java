package io.llmanalytics.sandbox;

/** How an execution of analysis code ended. */
public enum Outcome {
    /** The code ran to its end; {@link ExecutionResult#result()} holds {@code result}. */
    SUCCESS,
    /** The code raised an exception (or produced something that cannot be returned); see the error. */
    ERROR,
    /** The code was stopped at the wall-clock deadline. */
    TIMEOUT,
    /** The code was stopped by a resource limit (CPU time) or died of a signal. */
    KILLED
}
