package io.llmanalytics.api;

import io.llmanalytics.session.SessionPage;
import java.util.List;

/** A page of the session list, newest first. */
public record SessionList(List<SessionSummary> sessions, long total, int limit, int offset) {

    /** The page, each session counting at most {@code keptInteractions} interactions (the store's bound). */
    public static SessionList of(SessionPage page, int keptInteractions) {
        return new SessionList(
                page.sessions().stream()
                        .map(doc -> SessionSummary.of(doc, keptInteractions))
                        .toList(),
                page.total(),
                page.limit(),
                page.offset());
    }
}
