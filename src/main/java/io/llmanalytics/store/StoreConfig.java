package io.llmanalytics.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where sessions and datasets are kept. */
@ConfigMapping(prefix = "store")
public interface StoreConfig {

    /** MongoDB connection string ({@code MONGODB_URL}); when absent an embedded wire-compatible server is started. */
    Optional<String> url();

    /** Database name ({@code DATABASE_NAME}). */
    @WithDefault("llm_analytics")
    String database();

    /** Directory for the embedded store's files and temporary uploads ({@code DATA_DIR}). */
    @WithDefault("./data")
    Path dataDir();

    /** Upper bound on any single database operation. */
    @WithDefault("10s")
    Duration timeout();

    /**
     * Interactions kept per session ({@code MAX_STORED_INTERACTIONS}); the oldest beyond it are dropped when one is
     * appended.
     */
    @WithDefault("1000")
    int maxInteractions();

    /**
     * Sessions whose newest interactions (a follow-up's context) this instance keeps between questions, as last read or
     * appended here ({@code STORE_RECENT_CACHE_SESSIONS}); each is used only for the session document's counters it
     * was read with, so an append anywhere is seen. 0 reads them from the store for every question. Each session
     * holds up to {@code analysis.max-history} interactions of bounded size (results beyond
     * {@code analysis.max-stored-result-chars} are stored as their summary): tens of kB each at most.
     */
    @WithDefault("200")
    int recentCacheSessions();

    /** The embedded server, used only when {@link #url()} is absent. */
    Embedded embedded();

    /**
     * The client's connection pool (options given in {@code MONGODB_URL}, such as {@code maxPoolSize}, take
     * precedence). A burst of analyses (each a few store calls) would otherwise wait while the pool opens connections
     * two at a time (the driver's default) from none kept open.
     */
    Pool pool();

    interface Pool {
        /** Connections kept open while idle ({@code STORE_POOL_MIN_SIZE}). */
        @WithDefault("10")
        int minSize();

        /** Most connections open at once; calls beyond wait for a free one ({@code STORE_POOL_MAX_SIZE}). */
        @WithDefault("100")
        int maxSize();

        /** Most connections being opened at the same time ({@code STORE_POOL_MAX_CONNECTING}). */
        @WithDefault("8")
        int maxConnecting();
    }

    interface Embedded {
        /** {@code h2} keeps data under {@code DATA_DIR} across restarts; {@code memory} keeps nothing. */
        @WithDefault("h2")
        Backend backend();

        /** Loopback port of the embedded server; 0 picks a free one. */
        @WithDefault("0")
        int port();
    }

    enum Backend {
        H2,
        MEMORY
    }
}
