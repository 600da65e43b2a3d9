package io.llmanalytics.session;

/** Fired once a session and its files have been deleted. */
public record SessionDeleted(String sessionId) {}
