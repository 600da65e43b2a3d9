package io.llmanalytics.testing.faults;

import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStubResource;
import java.util.ArrayList;
import java.util.List;

/** The LLM stub profile, with the store outside the service behind a proxy that tests can cut. */
public class FlakyStoreProfile extends LlmStubProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        List<TestResourceEntry> resources = new ArrayList<>(List.of(new TestResourceEntry(OpenAiStubResource.class)));
        resources.add(new TestResourceEntry(FlakyStoreResource.class));
        return resources;
    }
}
