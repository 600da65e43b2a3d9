package io.llmanalytics.sources;

import java.util.Locale;
import java.util.Optional;

/** The databases a source can be, recognised by the JDBC URL's scheme. */
public enum SourceKind {
    POSTGRESQL("postgresql"),
    MARIADB("mariadb"),
    SQLITE("sqlite");

    private final String label;

    SourceKind(String label) {
        this.label = label;
    }

    /** The name the API shows. */
    public String label() {
        return label;
    }

    public static Optional<SourceKind> of(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl.strip().toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:postgresql:")) {
            return Optional.of(POSTGRESQL);
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return Optional.of(MARIADB);
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return Optional.of(SQLITE);
        }
        return Optional.empty();
    }
}
