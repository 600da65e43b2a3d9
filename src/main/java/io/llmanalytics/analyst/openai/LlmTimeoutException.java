package io.llmanalytics.analyst.openai;

import java.time.Duration;

/** A call to the endpoint exceeded one of its timeouts. */
public final class LlmTimeoutException extends RuntimeException {

    private final transient Duration limit;

    public LlmTimeoutException(String what, Duration limit) {
        super(what, null, false, false);
        this.limit = limit;
    }

    public Duration limit() {
        return limit;
    }
}
