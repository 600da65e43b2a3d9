package io.llmanalytics.api;

import io.llmanalytics.share.ShareService;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A new share link: its token and the page {@code url} (shown this once; only its hash is stored), its id (to list and
 * revoke it) and when it expires.
 */
@RegisterForReflection
public record ShareCreated(String id, String token, String url, Instant createdAt, Instant expiresAt, String scope) {

    static ShareCreated of(ShareService.Created created) {
        return new ShareCreated(
                created.share().id(),
                created.token(),
                "/shared/" + created.token(),
                created.share().createdAt(),
                created.share().expiresAt(),
                "read");
    }
}
