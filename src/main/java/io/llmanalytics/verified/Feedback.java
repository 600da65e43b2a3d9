package io.llmanalytics.verified;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** A person's rating of one answer ({@code up} or {@code down}) and an optional comment; the newest one counts. */
@RegisterForReflection
public record Feedback(String interactionId, String rating, String comment, Instant at) {}
