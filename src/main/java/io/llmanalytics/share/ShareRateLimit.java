package io.llmanalytics.share;

import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Requests through share links, at most {@code shares.requests-per-minute} per client address and, separately, per
 * link (keyed by the token's hash, never the token), in fixed one-minute windows on this instance. Share links need
 * no API key, so this is what bounds them.
 */
@ApplicationScoped
public class ShareRateLimit {

    static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int SWEEP_ABOVE = 10_000;

    private final int limit;
    private final LongSupplier nanos;
    private final Map<String, long[]> windows = new HashMap<>();

    @Inject
    public ShareRateLimit(ShareConfig config) {
        this(config.requestsPerMinute(), System::nanoTime);
    }

    ShareRateLimit(int limit, LongSupplier nanos) {
        this.limit = limit;
        this.nanos = nanos;
    }

    /** Counts one request of {@code address} through the link {@code tokenHash}; 429 when either is over. */
    public void admit(String address, String tokenHash) {
        if (limit <= 0) {
            return;
        }
        long now = nanos.getAsLong();
        synchronized (windows) {
            if (windows.size() > SWEEP_ABOVE) {
                sweep(now);
            }
            long waitAddress = wait("ip:" + address, now);
            long waitLink = wait("link:" + tokenHash, now);
            long wait = Math.max(waitAddress, waitLink);
            if (wait > 0) {
                Duration retry = Duration.ofNanos(wait);
                throw new ProblemException(
                        Problem.of(
                                        ProblemType.TOO_MANY_REQUESTS,
                                        "Share links allow " + limit + " requests a minute per client and per link "
                                                + "(SHARE_REQUESTS_PER_MINUTE); try again in "
                                                + Math.max(1, retry.toSeconds()) + " s.")
                                .with("limit_per_minute", limit),
                        retry,
                        null);
            }
            count("ip:" + address, now);
            count("link:" + tokenHash, now);
        }
    }

    /** Nanoseconds until {@code key} may make a request; 0 when it may now. */
    private long wait(String key, long now) {
        long[] w = windows.get(key);
        if (w == null || now - w[0] >= WINDOW_NANOS || w[1] < limit) {
            return 0;
        }
        return Math.max(1, w[0] + WINDOW_NANOS - now);
    }

    private void count(String key, long now) {
        long[] w = windows.get(key);
        if (w == null || now - w[0] >= WINDOW_NANOS) {
            windows.put(key, new long[] {now, 1});
        } else {
            w[1]++;
        }
    }

    private void sweep(long now) {
        for (Iterator<long[]> it = windows.values().iterator(); it.hasNext(); ) {
            if (now - it.next()[0] >= WINDOW_NANOS) {
                it.remove();
            }
        }
    }
}
