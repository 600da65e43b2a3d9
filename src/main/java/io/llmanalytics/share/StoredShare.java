package io.llmanalytics.share;

import java.time.Instant;

/**
 * A share link as stored: its id (what the owner lists and revokes), the session, the SHA-256 of its token (never the
 * token) and its times.
 */
public record StoredShare(String id, String sessionId, String tokenHash, Instant createdAt, Instant expiresAt) {

    /** Whether the link still opens at {@code now}. */
    public boolean liveAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
