package io.llmanalytics.api;

import java.util.List;

import io.llmanalytics.session.SessionPage;

/** A page of the session list, newest first. */
public record SessionList(List<SessionSummary> sessions, long total, int limit, int offset) {

    public static SessionList of(SessionPage page) {
        return new SessionList(page.sessions().stream().map(SessionSummary::of).toList(), page.total(), page.limit(),
                page.offset());
    }
}
