package io.llmanalytics.api;

import io.llmanalytics.share.StoredShare;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** A share link as its owner lists it: never its token. */
@RegisterForReflection
public record ShareSummary(String id, Instant createdAt, Instant expiresAt, boolean expired, String scope) {

    static ShareSummary of(StoredShare share, Instant now) {
        return new ShareSummary(share.id(), share.createdAt(), share.expiresAt(), !share.liveAt(now), "read");
    }
}
