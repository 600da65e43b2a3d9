package io.llmanalytics.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Tokens, their hashes, masked paths and the rate limit of share links, without the application. */
class ShareUnitsTest {

    @Test
    void tokensAreLongRandomAndUrlSafe() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = ShareTokens.newToken();
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
            assertTrue(ShareTokens.plausible(token));
            assertTrue(seen.add(token), "a token repeated");
        }
        assertEquals(256, ShareTokens.BYTES * 8);
        assertFalse(ShareTokens.plausible("short"));
        assertFalse(ShareTokens.plausible("A".repeat(42) + "/"));
        assertFalse(ShareTokens.plausible(null));
    }

    @Test
    void hashesAreSha256AndComparedWhole() {
        // SHA-256("abc")
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ShareTokens.hash("abc"));
        assertTrue(ShareTokens.sameHash(ShareTokens.hash("x"), ShareTokens.hash("x")));
        assertFalse(ShareTokens.sameHash(ShareTokens.hash("x"), ShareTokens.hash("y")));
        assertFalse(ShareTokens.sameHash(ShareTokens.hash("x"), null));
    }

    @Test
    void pathsWithATokenAreMasked() {
        assertEquals("/api/shared/…", SharedPaths.mask("/api/shared/abcDEF123"));
        assertEquals(
                "/api/shared/…/interactions/i/charts/0", SharedPaths.mask("/api/shared/abc/interactions/i/charts/0"));
        assertEquals("/shared/…", SharedPaths.mask("/shared/abc"));
        assertEquals("//api//shared/…/x", SharedPaths.mask("//api//shared/abc/x"));
        assertEquals("/api/session/abc/shares", SharedPaths.mask("/api/session/abc/shares"));
        assertEquals("/api/sharedx/abc", SharedPaths.mask("/api/sharedx/abc"));
    }

    @Test
    void theRateLimitCountsPerAddressAndPerLink() {
        AtomicLong now = new AtomicLong(0);
        ShareRateLimit limit = new ShareRateLimit(3, now::get);
        for (int i = 0; i < 3; i++) {
            limit.admit("10.0.0.1", "link-a");
        }
        ProblemException over = assertThrows(ProblemException.class, () -> limit.admit("10.0.0.1", "link-b"));
        assertEquals(429, over.problem().status());
        assertTrue(over.retryAfter().isPresent());
        // another address on the same link: the link's count is spent too
        assertThrows(ProblemException.class, () -> limit.admit("10.0.0.2", "link-a"));
        // another address on another link is free
        limit.admit("10.0.0.2", "link-c");
        // a minute later both are free again
        now.addAndGet(ShareRateLimit.WINDOW_NANOS);
        limit.admit("10.0.0.1", "link-a");
        // no limit at 0
        ShareRateLimit off = new ShareRateLimit(0, now::get);
        for (int i = 0; i < 100; i++) {
            off.admit("10.0.0.1", "link-a");
        }
    }
}
