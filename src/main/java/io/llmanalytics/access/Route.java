package io.llmanalytics.access;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The one table of the API routes that access control and upload limits single out: their Vert.x route path (for
 * handlers that run before the REST layer) and the pattern a request's normalised path matches (a trailing slash
 * allowed).
 */
public enum Route {
    /** {@code POST /api/session/create}: a new session from an upload (or a database source). */
    CREATE_SESSION("/api/session/create", "/api/session/create/?"),
    /** {@code POST /api/session/{id}/datasets}: more datasets for a session. */
    ADD_DATASETS("/api/session/:id/datasets", "/api/session/[^/]+/datasets/?"),
    /** {@code POST /api/session/{id}/analyze}: an analysis. */
    ANALYZE("/api/session/:id/analyze", "/api/session/[^/]+/analyze/?"),
    /** {@code POST /api/session/{id}/batch}: several questions answered in parallel, counted as one analysis. */
    BATCH("/api/session/:id/batch", "/api/session/[^/]+/batch/?"),
    /**
     * {@code GET /api/shared/{token}}, its chart images and its reports: what a share link opens, without an API key
     * (the token is the credential).
     */
    SHARED_READ(
            "/api/shared/:token",
            "/api/shared/[^/]+(/interactions/[^/]+/charts/[^/]+(/spec)?|/report\\.html|/report\\.pdf)?/?");

    /** The routes that take an uploaded file. */
    public static final List<Route> UPLOADS = List.of(CREATE_SESSION, ADD_DATASETS);

    private final String vertxPath;
    private final Pattern pattern;

    Route(String vertxPath, String pattern) {
        this.vertxPath = vertxPath;
        this.pattern = Pattern.compile(pattern);
    }

    /** The path as a Vert.x route ({@code :id} for a path parameter). */
    public String vertxPath() {
        return vertxPath;
    }

    /** Whether a request path (normalised: no repeated slashes) is this route's. */
    public boolean matches(String path) {
        return path != null && pattern.matcher(path).matches();
    }

    /** Whether a request path is one of the upload routes. */
    public static boolean isUpload(String path) {
        return UPLOADS.stream().anyMatch(r -> r.matches(path));
    }
}
