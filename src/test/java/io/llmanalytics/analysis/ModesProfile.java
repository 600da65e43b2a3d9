package io.llmanalytics.analysis;

import io.llmanalytics.testing.llm.LlmStubProfile;
import java.util.HashMap;
import java.util.Map;

/** The stub model, with the multi-step budgets small enough to reach in a test: 5 steps, 2 attempts per step. */
public class ModesProfile extends LlmStubProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("analysis.modes.max-steps", "5");
        config.put("analysis.modes.attempts-per-step", "2");
        config.put("analysis.modes.wall-time", "90s");
        return config;
    }

    /**
     * As {@link ModesProfile}, with a wall time of 8 s per analysis, and a model call that may take 60 s (so that the
     * wall time, not the call's timeout, ends a slow step).
     */
    public static class ShortWallTime extends ModesProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("analysis.modes.wall-time", "8s");
            config.put("llm.timeout.call", "60s");
            return config;
        }
    }
}
