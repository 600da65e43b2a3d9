package io.llmanalytics.sources;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Limits of database sources. The connections themselves are named by the operator as
 * {@code SOURCES_<NAME>_URL/_USERNAME/_PASSWORD/_PASSWORD_FILE/_TABLES} (or {@code sources.<name>.url...}), read by
 * {@link SourceCatalog}.
 */
@ConfigMapping(prefix = "sources")
public interface SourcesConfig {

    /** Longest a query may run, from its start to its last row ({@code SOURCES_QUERY_TIMEOUT}). */
    @WithDefault("30s")
    Duration queryTimeout();

    /** Longest a connection attempt may take before the source counts as unreachable. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Rows fetched from the database per round trip (the cursor's fetch size). */
    @WithDefault("2000")
    int fetchSize();
}
