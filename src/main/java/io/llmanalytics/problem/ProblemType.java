package io.llmanalytics.problem;

/** The kinds of problem the API reports, each with its RFC 9457 type URI, title and HTTP status. */
public enum ProblemType {
    BAD_REQUEST("bad-request", "Bad request", 400),
    VALIDATION_FAILED("validation-failed", "Request is not valid", 400),
    EMPTY_FILE("empty-file", "The file holds no data", 400),
    NO_COLUMNS("no-columns", "The file has no columns", 400),
    UNREADABLE_FILE("unreadable-file", "The file cannot be read", 400),
    NUMBER_OUT_OF_RANGE("number-out-of-range", "A number cannot be loaded", 400),
    UNAUTHORIZED("unauthorized", "Authentication required", 401),
    NOT_FOUND("not-found", "Not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    UPLOAD_TOO_SLOW("upload-too-slow", "Upload too slow", 408),
    CONFLICT("conflict", "Conflict", 409),
    PAYLOAD_TOO_LARGE("payload-too-large", "Upload too large", 413),
    TOO_MANY_CELLS("too-many-cells", "Dataset too large", 413),
    BODY_TOO_LARGE("body-too-large", "Request body too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported file type", 415),
    UNPROCESSABLE("unprocessable", "The request cannot be processed", 422),
    TOO_MANY_REQUESTS("too-many-requests", "Too many requests", 429),
    QUOTA_EXCEEDED("quota-exceeded", "Storage quota exceeded", 429),
    INTERNAL("internal", "Internal error", 500),
    LLM_UNAVAILABLE("llm-unavailable", "The language model is unavailable", 503),
    LLM_NOT_CONFIGURED("llm-not-configured", "No language model is configured", 503),
    WORKER_BUSY("worker-busy", "The analysis worker is busy", 503),
    WORKER_UNAVAILABLE("worker-unavailable", "The analysis worker is unavailable", 503),
    STORE_UNAVAILABLE("store-unavailable", "The store is unavailable", 503),
    VALIDATOR_UNAVAILABLE("validator-unavailable", "The code validator is unavailable", 503),
    SHUTTING_DOWN("shutting-down", "The service is shutting down", 503),
    ANALYSIS_FAILED("analysis-failed", "The analysis could not be completed", 422),
    QUESTION_NOT_UNDERSTOOD("question-not-understood", "The question was not understood", 422),
    TIMEOUT("timeout", "The operation timed out", 504),
    SOURCE_TIMEOUT("source-timeout", "The database query timed out", 504),
    SOURCE_UNAVAILABLE("source-unavailable", "The database source is unreachable", 503),
    SOURCE_CREDENTIALS_REFUSED("source-credentials-refused", "The database refused the connection's credentials", 502);

    private static final String BASE = "urn:llm-analytics:problem:";

    private final String slug;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return BASE + slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /** The problem type for a bare HTTP status, for errors raised by the framework. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != INTERNAL && type != SOURCE_CREDENTIALS_REFUSED) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
