package io.llmanalytics.batch;

import io.llmanalytics.testing.llm.LlmStubProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The stub model, and a caller limit of two analyses at once (with batches allowed four in parallel), so that the
 * caller's limit is what bounds a batch.
 */
public class BatchProfile extends LlmStubProfile {

    static final int SLOTS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("access.limits.concurrent-streams", Integer.toString(SLOTS));
        overrides.put("access.limits.analyses-per-minute", "0");
        overrides.put("batch.max-parallel", "4");
        overrides.put("batch.max-questions", "10");
        return overrides;
    }
}
