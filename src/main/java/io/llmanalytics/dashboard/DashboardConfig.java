package io.llmanalytics.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Session dashboards: pinned answers re-run on the current datasets. */
@ConfigMapping(prefix = "dashboard")
public interface DashboardConfig {

    /** Answers one session's dashboard may pin (DASHBOARD_MAX_PINS). */
    @WithDefault("12")
    int maxPins();

    /** Cards kept computed, per pin and datasets' versions, least recently used dropped first (DASHBOARD_CACHE_ENTRIES). */
    @WithDefault("256")
    int cacheEntries();

    /**
     * Time one dashboard may take to compute its cards (DASHBOARD_DEADLINE); a card not computed by then says so in its
     * card (kind {@code unavailable}) and is computed on the next load.
     */
    @WithDefault("60s")
    Duration deadline();

    /** Cards of one dashboard computed at the same time (DASHBOARD_CONCURRENCY). */
    @WithDefault("2")
    int concurrency();
}
