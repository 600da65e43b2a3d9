package io.llmanalytics.analyst;

/**
 * A failed attempt the next code generation must repair (self-healing).
 *
 * @param code the code that failed
 * @param failure whether the validator refused it or its execution raised
 * @param feedback the validator's messages (one paragraph) or the exception with the user-code traceback
 */
public record PreviousAttempt(String code, Failure failure, String feedback) {

    public enum Failure {
        /** The validator refused the code (syntax error, forbidden import or call...). */
        VALIDATION,
        /** The code raised, timed out or exceeded a limit in the worker. */
        EXECUTION
    }

    public static PreviousAttempt validation(String code, String feedback) {
        return new PreviousAttempt(code, Failure.VALIDATION, feedback);
    }

    public static PreviousAttempt execution(String code, String feedback) {
        return new PreviousAttempt(code, Failure.EXECUTION, feedback);
    }
}
