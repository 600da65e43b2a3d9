package io.llmanalytics.session;

import java.util.List;

/** One page of sessions, newest first. */
public record SessionPage(List<SessionDocument> sessions, long total, int limit, int offset) {}
