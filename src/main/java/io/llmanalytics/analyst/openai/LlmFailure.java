package io.llmanalytics.analyst.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.vertx.core.VertxException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * What went wrong with one call, and what to do about it: retry or not, count it against the endpoint (circuit
 * breaker) or not, and the problem the client finally sees.
 *
 * @param kind the class of failure
 * @param status the HTTP status, or 0
 * @param retryAfter the wait the endpoint asked for, or null
 * @param reason a short human explanation, without secrets, prompts or data
 * @param cause the original failure
 */
public record LlmFailure(Kind kind, int status, Duration retryAfter, String reason, Throwable cause) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Kind {
        /** HTTP 429. */
        RATE_LIMITED(true, true),
        /** HTTP 5xx or 408, or an error event inside a 200 stream. */
        SERVER_ERROR(true, true),
        /** Connection refused, reset or closed, DNS, TLS. */
        UNREACHABLE(true, true),
        /** One of our timeouts (or the HTTP client's idle safety net). */
        TIMEOUT(false, true),
        /** A 2xx answer that is not a chat completion (a proxy's glitch as often as not: asked again). */
        MALFORMED(true, true),
        /** HTTP 401/403: the key is wrong. */
        REFUSED(false, false),
        /** Other HTTP 4xx: the endpoint rejected this request (unknown model, prompt too long...). */
        REJECTED(false, false),
        /** Already a problem (e.g. the breaker is open). */
        PROBLEM(false, false),
        /** Anything else. */
        OTHER(false, true);

        private final boolean retryable;
        private final boolean countsAgainstEndpoint;

        Kind(boolean retryable, boolean countsAgainstEndpoint) {
            this.retryable = retryable;
            this.countsAgainstEndpoint = countsAgainstEndpoint;
        }
    }

    public boolean retryable() {
        return kind.retryable;
    }

    public boolean countsAgainstEndpoint() {
        return kind.countsAgainstEndpoint;
    }

    /** A label for metrics: {@code rate_limited}, {@code server_error}, ... */
    public String label() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    public static LlmFailure of(Throwable failure) {
        ProblemException problem = ProblemFailures.find(failure);
        if (problem != null) {
            return new LlmFailure(Kind.PROBLEM, 0, problem.retryAfter().orElse(null), problem.getMessage(), problem);
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UpstreamHttpException http) {
                return http(http);
            }
            if (t instanceof LlmTimeoutException timeout) {
                return new LlmFailure(Kind.TIMEOUT, 0, null, timeout.getMessage(), t);
            }
            if (t instanceof TimeoutException) {
                return new LlmFailure(Kind.TIMEOUT, 0, null, "the HTTP exchange was idle too long", t);
            }
            if (t instanceof MalformedAnswerException || t instanceof JsonProcessingException) {
                return new LlmFailure(
                        Kind.MALFORMED, 0, null, "it sent a malformed answer (" + t.getMessage() + ")", t);
            }
            if (t instanceof UnknownHostException) {
                return new LlmFailure(Kind.UNREACHABLE, 0, null, "its host name does not resolve", t);
            }
            if (t instanceof ConnectException) {
                return new LlmFailure(Kind.UNREACHABLE, 0, null, "the connection was refused or timed out", t);
            }
            if (t instanceof SSLException) {
                return new LlmFailure(Kind.UNREACHABLE, 0, null, "the TLS handshake failed", t);
            }
            if (t instanceof IOException || t instanceof VertxException) {
                String what = t.getMessage() == null || t.getMessage().length() > 120
                        ? t.getClass().getSimpleName()
                        : t.getMessage();
                return new LlmFailure(Kind.UNREACHABLE, 0, null, "the connection failed (" + what + ")", t);
            }
        }
        return new LlmFailure(
                Kind.OTHER, 0, null, "the call failed (" + failure.getClass().getSimpleName() + ")", failure);
    }

    private static LlmFailure http(UpstreamHttpException e) {
        int status = e.status();
        String message = providerMessage(e.body());
        String suffix = message.isEmpty() ? "" : ": " + message;
        if (status == 200) {
            return new LlmFailure(
                    Kind.SERVER_ERROR, status, e.retryAfter().orElse(null), "it reported an error" + suffix, e);
        }
        Kind kind = status == 429
                ? Kind.RATE_LIMITED
                : status >= 500 || status == 408
                        ? Kind.SERVER_ERROR
                        : status == 401 || status == 403 ? Kind.REFUSED : Kind.REJECTED;
        String reason = switch (kind) {
            case RATE_LIMITED -> "it is rate limiting requests (HTTP 429)" + suffix;
            case REFUSED -> "it refused the credentials (HTTP " + status + "); check OPENAI_API_KEY" + suffix;
            case REJECTED ->
                status == 404
                        ? "it does not know this model or path (HTTP 404); check OPENAI_MODEL and" + " OPENAI_BASE_URL"
                                + suffix
                        : "it rejected the request (HTTP " + status + ")" + suffix;
            default -> "it answered HTTP " + status + suffix;
        };
        return new LlmFailure(kind, status, e.retryAfter().orElse(null), reason, e);
    }

    /** The {@code error.message} of an OpenAI-style error body, bounded; the raw start of the body otherwise. */
    static String providerMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String message = body.strip();
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode error = node.path("error");
            if (error.isObject() && error.path("message").isTextual()) {
                message = error.path("message").asText();
            } else if (error.isTextual()) {
                message = error.asText();
            } else if (node.path("message").isTextual()) {
                message = node.path("message").asText();
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // not JSON: keep the raw start
        }
        message = message.replaceAll("\\s+", " ").strip();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    /** The problem the client sees once the service gives up on this call. */
    public ProblemException problem(String endpoint, int attempts) {
        if (kind == Kind.PROBLEM && cause instanceof ProblemException p) {
            return p;
        }
        String tries = attempts > 1 ? " (after " + attempts + " attempts)" : "";
        if (kind == Kind.TIMEOUT) {
            return new ProblemException(
                    Problem.of(
                            ProblemType.TIMEOUT,
                            "The language model at " + endpoint + " did not answer in time: " + reason + tries + "."),
                    null,
                    cause);
        }
        String detail = "The language model at " + endpoint + " could not be used: " + reason + tries + ".";
        return new ProblemException(Problem.of(ProblemType.LLM_UNAVAILABLE, detail), retryAfter, cause);
    }
}
