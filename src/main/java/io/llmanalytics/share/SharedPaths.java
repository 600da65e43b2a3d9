package io.llmanalytics.share;

import java.util.regex.Pattern;

/**
 * Paths that carry a share token ({@code /shared/{token}}, {@code /api/shared/{token}/...}): whatever writes a path
 * to a log or a problem document masks the token first.
 */
public final class SharedPaths {

    private static final Pattern TOKEN = Pattern.compile("^(/+api)?(/+shared/+)[^/]+");

    private SharedPaths() {}

    /** The path with a share token replaced by {@code …}; other paths as they are. */
    public static String mask(String path) {
        return path == null ? null : TOKEN.matcher(path).replaceFirst("$1$2…");
    }
}
