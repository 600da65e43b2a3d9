package io.llmanalytics.analyst.openai;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/**
 * The endpoint answered with an HTTP error (or an error payload in a 200 answer, status 200). Raised by {@link
 * VertxHttpClient} while the response headers are still at hand, so that {@code Retry-After} survives: LangChain4j's
 * exception mapping wraps an {@link HttpException} that is the root cause (as this one always is) and keeps it as the
 * cause, where {@link LlmFailure} finds it.
 */
public final class UpstreamHttpException extends HttpException {

    private final int status;
    private final transient Duration retryAfter;
    private final String body;

    public UpstreamHttpException(int status, Duration retryAfter, String body) {
        super(status, body == null ? "" : body);
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
