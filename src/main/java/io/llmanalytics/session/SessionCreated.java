package io.llmanalytics.session;

/** Fired once a session has been stored, so that the worker can start loading its datasets. */
public record SessionCreated(SessionDocument session) {}
