package io.llmanalytics.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Session dashboards: pinned answers re-run on the current datasets. */
@ConfigMapping(prefix = "dashboard")
public interface DashboardConfig {

    /** Answers one session's dashboard may pin (DASHBOARD_MAX_PINS). */
    @WithDefault("12")
    int maxPins();

    /** Cards kept computed, per pin and datasets' versions, least recently used dropped first (DASHBOARD_CACHE_ENTRIES). */
    @WithDefault("256")
    int cacheEntries();
}
