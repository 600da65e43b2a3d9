package io.llmanalytics.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** One new-session upload parsed while it arrives at a time: {@link StreamingReceivesTest}. */
public class OneStreamingReceiveProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("upload.streaming-receives", "1");
    }
}
