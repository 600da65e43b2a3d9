package io.llmanalytics.access;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** One caller allowed one analysis at a time (counted in the store), no per-minute limits: {@link SequentialCallerTest}. */
public class SequentialCallerProfile implements QuarkusTestProfile {

    public static final String KEY = "sequential-0123456789abcdef";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("access.api-keys", KEY),
                Map.entry("access.limits.uploads-per-minute", "0"),
                Map.entry("access.limits.analyses-per-minute", "0"),
                Map.entry("access.limits.concurrent-streams", "1"),
                Map.entry("access.shared.enabled", "true"),
                Map.entry("llm.analyst", "offline"));
    }
}
