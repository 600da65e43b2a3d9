package io.llmanalytics.api;

import io.llmanalytics.session.SessionPage;
import java.util.List;

/** A page of the session list, newest first. */
public record SessionList(List<SessionSummary> sessions, long total, int limit, int offset) {

    public static SessionList of(SessionPage page) {
        return new SessionList(
                page.sessions().stream().map(SessionSummary::of).toList(), page.total(), page.limit(), page.offset());
    }
}
