package io.llmanalytics.testing.llm;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts an {@link OpenAiStub} before the application and points the service at it through the environment names
 * people use ({@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}), so {@code ANALYST=auto} selects the OpenAI analyst.
 * Fields of type {@link OpenAiStub} annotated {@link InjectOpenAiStub} receive the running stub. Use it through
 * {@link LlmStubProfile}, which also shortens timeouts and backoffs.
 */
public class OpenAiStubResource implements QuarkusTestResourceLifecycleManager {

    /** The API key the service is configured with; the stub records the {@code Authorization} header it receives. */
    public static final String API_KEY = "sk-test-stub";

    private OpenAiStub stub;

    @Override
    public Map<String, String> start() {
        stub = OpenAiStub.start();
        return Map.of("OPENAI_BASE_URL", stub.baseUrl(), "OPENAI_API_KEY", API_KEY);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                stub, new TestInjector.AnnotatedAndMatchesType(InjectOpenAiStub.class, OpenAiStub.class));
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
