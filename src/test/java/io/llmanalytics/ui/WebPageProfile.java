package io.llmanalytics.ui;

import io.llmanalytics.testing.llm.LlmStubProfile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The browser tests' service: the LLM stub, and a SQLite database named as source {@code shop}, the file the
 * {@code sources.mjs} scenario makes (and changes) with sqlite3 at {@link #SHOP_DATABASE}, named as the environment
 * would name it ({@code SOURCES_SHOP_URL}; {@code sources.<name>.*} properties fail the config mapping's validation
 * when set in a profile).
 */
public class WebPageProfile extends LlmStubProfile {

    static final Path SHOP_DATABASE =
            Path.of("target", "ui-sources", "shop.sqlite").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("SOURCES_SHOP_URL", "jdbc:sqlite:" + SHOP_DATABASE);
        return config;
    }
}
