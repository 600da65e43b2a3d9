package io.llmanalytics.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Computed cards by (pin, datasets' versions and code): a card is computed again only when a dataset of its session
 * was added, refreshed or removed (the key changes). A bounded LRU.
 */
@ApplicationScoped
public class DashboardCache {

    private final int maxEntries;
    private final Map<String, DashboardItem> entries;

    @Inject
    public DashboardCache(DashboardConfig config) {
        this(config.cacheEntries());
    }

    DashboardCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, DashboardItem> eldest) {
                return size() > DashboardCache.this.maxEntries;
            }
        };
    }

    synchronized Optional<DashboardItem> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(String key, DashboardItem item) {
        if (maxEntries > 0) {
            entries.put(key, item);
        }
    }

    /** Forgets the cards of a pin (its keys start with its id). */
    synchronized void forget(String pinId) {
        entries.keySet().removeIf(k -> k.startsWith(pinId + "/"));
    }
}
