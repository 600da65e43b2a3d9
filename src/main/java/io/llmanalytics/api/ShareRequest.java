package io.llmanalytics.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The optional body of a share link's creation: {@code {"expires_in": "P7D"}} (an ISO-8601 duration). */
@RegisterForReflection
public record ShareRequest(String expiresIn) {}
