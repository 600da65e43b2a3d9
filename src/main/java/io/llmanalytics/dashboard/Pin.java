package io.llmanalytics.dashboard;

import java.time.Instant;

/**
 * An answer pinned to a session's dashboard: its question and the code that answered it (copied at pinning, so the
 * pin outlives the interaction's place in the history), and its place on the dashboard.
 */
public record Pin(
        String id,
        String sessionId,
        String interactionId,
        String question,
        String code,
        int position,
        Instant createdAt) {}
