package io.llmanalytics.health;

import java.util.Map;

/** The answer of {@code GET /api/health}: {@code up} when every critical part is up, else {@code down}. */
public record HealthReport(String status, Map<String, ComponentHealth> components) {}
