package io.llmanalytics.share;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Read-only share links of sessions. */
@ConfigMapping(prefix = "shares")
public interface ShareConfig {

    /** How long a link lives when its creation names no {@code expires_in} (SHARE_DEFAULT_EXPIRY). */
    @WithDefault("P7D")
    Duration defaultExpiry();

    /** The longest {@code expires_in} a link may ask for (SHARE_MAX_EXPIRY). */
    @WithDefault("P30D")
    Duration maxExpiry();

    /** How many links one session may have at a time, expired ones not counted (SHARE_MAX_PER_SESSION). */
    @WithDefault("20")
    int maxPerSession();

    /**
     * Requests per minute through share links, counted per client address and, separately, per link
     * (SHARE_REQUESTS_PER_MINUTE); 0 turns the limit off.
     */
    @WithDefault("120")
    int requestsPerMinute();
}
