package io.llmanalytics.analysis;

import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.sandbox.Chart;
import io.llmanalytics.sandbox.ExecutionResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Successful execution results by (dataset content, code): the same code on the same data is not run again. A bounded
 * LRU, by entries and by approximate size.
 */
@ApplicationScoped
public class ResultCache {

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final Counter hits;
    private final Counter misses;
    private long bytes;

    private record Entry(ExecutionResult result, long size) {}

    public ResultCache(AnalysisConfig config, MeterRegistry registry) {
        this.maxEntries = config.resultCacheEntries();
        this.maxBytes = config.resultCacheBytes();
        this.hits =
                Counter.builder("analysis.result.cache").tag("outcome", "hit").register(registry);
        this.misses =
                Counter.builder("analysis.result.cache").tag("outcome", "miss").register(registry);
    }

    /** The key of {@code code} run on {@code datasets}: their content hashes (the default first) and the code. */
    public static String key(List<DatasetSource> datasets, String code) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (DatasetSource d : datasets) {
                digest.update(((d.isDefault() ? "*" : "") + d.name() + '\u0000' + d.contentHash() + '\u0001')
                        .getBytes(StandardCharsets.UTF_8));
            }
            digest.update(code.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized Optional<ExecutionResult> get(String key) {
        Entry entry = entries.get(key);
        (entry == null ? misses : hits).increment();
        return Optional.ofNullable(entry).map(Entry::result);
    }

    public synchronized void put(String key, ExecutionResult result) {
        if (!result.succeeded() || maxEntries == 0) {
            return;
        }
        long size = size(result);
        if (size > maxBytes / 4) {
            return;
        }
        Entry old = entries.put(key, new Entry(result, size));
        bytes += size - (old == null ? 0 : old.size());
        var it = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
            Map.Entry<String, Entry> eldest = it.next();
            bytes -= eldest.getValue().size();
            it.remove();
        }
    }

    private static long size(ExecutionResult result) {
        long size = 256
                + result.stdout().length() * 2L
                + (result.result() == null ? 0 : result.result().toString().length() * 2L);
        for (Chart chart : result.charts()) {
            size += chart.data().length();
        }
        return size;
    }
}
