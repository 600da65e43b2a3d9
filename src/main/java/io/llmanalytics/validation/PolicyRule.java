package io.llmanalytics.validation;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One rule of the validation policy, as listed by {@code GET /api/policy}. */
@RegisterForReflection
public record PolicyRule(String id, String summary) {}
