package io.llmanalytics.access;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may call {@code /api}, and how much each caller may do. Without keys the service is in open mode (one user, or a
 * trusted network); limits then apply per client address. Limits are counted in the store, so that they hold in
 * total across all instances serving it, with a per-instance pre-check in memory in front.
 */
@ConfigMapping(prefix = "access")
public interface AccessConfig {

    /** API keys, comma-separated ({@code API_KEYS}); empty: none from this setting. */
    Optional<String> apiKeys();

    /**
     * A file of API keys ({@code API_KEYS_FILE}), one per line, either the key itself or {@code sha256:<hex>} of it;
     * blank lines and lines starting with {@code #} are ignored. Typically a mounted Kubernetes Secret.
     */
    Optional<Path> apiKeysFile();

    /** Limits per caller. */
    Limits limits();

    /** Uploads that trickle. */
    Upload upload();

    /** The limits' shared part, in the store. */
    Shared shared();

    /** Limits counted in the store, for all instances together. */
    interface Shared {

        /**
         * Whether the limits are also counted in the store ({@code SHARED_LIMITS}); off, each instance counts only
         * its own requests, so a caller spread over N instances gets N times every limit.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long a stream slot outlives its last heartbeat ({@code STREAM_LEASE}); an instance that dies gives its
         * slots back within this time. Heartbeats come every third of it.
         */
        @WithDefault("30s")
        Duration streamLease();
    }

    /** Limits per caller (per key, or per client address in open mode); 0 turns a limit off. */
    interface Limits {

        /** Uploads one caller may start per minute ({@code RATE_LIMIT_UPLOADS_PER_MINUTE}). */
        @WithDefault("30")
        @Min(0) int uploadsPerMinute();

        /** Analyses one caller may ask for per minute ({@code RATE_LIMIT_ANALYSES_PER_MINUTE}). */
        @WithDefault("60")
        @Min(0) int analysesPerMinute();

        /** Analyses one caller may have running at once ({@code RATE_LIMIT_CONCURRENT_STREAMS}). */
        @WithDefault("4")
        @Min(0) int concurrentStreams();

        /** Total size of the files one caller may keep stored ({@code MAX_STORED_BYTES_PER_CALLER}); 0: no limit. */
        @WithDefault("2G")
        MemorySize storedBytes();

        /** Largest JSON request body, such as an analyze question ({@code MAX_JSON_BODY_SIZE}). */
        @WithDefault("64K")
        MemorySize jsonBodySize();

        /** Callers whose counters are kept; the least recently seen idle ones are forgotten beyond this. */
        @WithDefault("10000")
        @Positive int maxCallers();
    }

    /** An upload slower than a floor is cut off with 408. */
    interface Upload {

        /** Slowest accepted upload, averaged over the grace window ({@code UPLOAD_MIN_BYTES_PER_SECOND}); 0: no floor. */
        @WithDefault("16K")
        MemorySize minBytesPerSecond();

        /** The window the rate is averaged over, also the time an upload always gets ({@code UPLOAD_RATE_WINDOW}). */
        @WithDefault("30s")
        Duration rateWindow();
    }
}
