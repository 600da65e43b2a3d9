package io.llmanalytics.llm.openai;

import java.time.Duration;
import java.util.Optional;

/**
 * The endpoint answered with an HTTP error. Raised by {@link UpstreamErrorFilter} while the response headers are still
 * at hand, so that {@code Retry-After} survives (langchain4j's own {@code HttpException} keeps only status and body).
 */
public final class UpstreamHttpException extends RuntimeException {

    private final int status;
    private final transient Duration retryAfter;
    private final String body;

    public UpstreamHttpException(int status, Duration retryAfter, String body) {
        super("HTTP " + status, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
        this.body = body == null ? "" : body;
    }

    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The start of the error body (bounded). */
    public String body() {
        return body;
    }
}
