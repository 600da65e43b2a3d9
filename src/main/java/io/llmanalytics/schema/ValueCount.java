package io.llmanalytics.schema;

/** One of the most frequent values of a text column. */
public record ValueCount(String value, long count) {}
