package io.llmanalytics.analyst.openai;

/** The endpoint answered 2xx with something that is not a chat completion. */
public final class MalformedAnswerException extends RuntimeException {

    public MalformedAnswerException(String message) {
        super(message, null, false, false);
    }
}
