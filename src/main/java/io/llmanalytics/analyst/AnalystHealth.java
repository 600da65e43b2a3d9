package io.llmanalytics.analyst;

import java.util.Map;

/**
 * An analyst's part of the {@code llm} health report: whether it can answer now, and what it tells about itself (for
 * the OpenAI analyst: model, endpoint host, configured, circuit-breaker state).
 */
public record AnalystHealth(boolean up, Map<String, Object> details) {

    public AnalystHealth {
        details = Map.copyOf(details);
    }
}
